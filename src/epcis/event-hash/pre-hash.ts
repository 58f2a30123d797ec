import { canonicalVocabulary, type VocabularyKind } from '../cbv.js'
import { isExactNumber } from '../exact-number.js'
import { extensionMembers } from './extensions.js'
import { canonicalUri, expandCurie, type Namespaces } from './names.js'
import { canonicalBoolean, canonicalNumber, canonicalTimestamp, sortedJoin } from './values.js'

type Json = Readonly<Record<string, unknown>>

/*
 * The pre-hash string of CBV 2.0 section 8.9 for one compact JSON-LD event. Layout:
 *   eventType=..  [standard fields 2..23 in the canonical property order]  ilmd..
 *   [user extensions nested in standard fields, in property order, each prefixed by its field path]
 *   [event-level user extensions, sorted]
 * Excluded: recordTime, eventID, errorDeclaration, certificationInfo (not in the canonical order).
 * CBV 2.0 writes no "sensorElementList" name and keeps extensions inside readPoint, bizLocation and
 * the sensor structures out of their fields (both changed in the CBV 2.1 draft).
 */

/** Event keys that are standard fields (or JSON-LD keywords) rather than user extensions. */
const STANDARD_EVENT_KEYS = new Set([
  'type', 'id', 'eventID', 'recordTime', 'errorDeclaration', 'certificationInfo',
  'eventTime', 'eventTimeZoneOffset', 'epcList', 'parentID', 'inputEPCList', 'childEPCs',
  'quantityList', 'childQuantityList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList',
  'action', 'transformationID', 'bizStep', 'disposition', 'persistentDisposition', 'readPoint',
  'bizLocation', 'bizTransactionList', 'sourceList', 'destinationList', 'sensorElementList', 'ilmd',
])

type FieldKind = 'uri' | 'time' | 'number' | 'text' | 'boolean' | VocabularyKind
type FieldOrder = ReadonlyArray<readonly [name: string, kind: FieldKind]>

const QUANTITY_ELEMENT: FieldOrder = [['epcClass', 'uri'], ['quantity', 'number'], ['uom', 'text']]
const LOCATION: FieldOrder = [['id', 'uri']]
const PERSISTENT_DISPOSITION_KEYS = new Set(['set', 'unset'])
const SENSOR_ELEMENT_KEYS = new Set(['sensorMetadata', 'sensorReport'])
const SENSOR_METADATA: FieldOrder = [
  ['time', 'time'], ['startTime', 'time'], ['endTime', 'time'], ['deviceID', 'uri'], ['deviceMetadata', 'uri'],
  ['rawData', 'uri'], ['dataProcessingMethod', 'uri'], ['bizRules', 'uri'],
]
const SENSOR_REPORT: FieldOrder = [
  ['type', 'measurementType'], ['exception', 'sensorAlertType'], ['deviceID', 'uri'], ['deviceMetadata', 'uri'],
  ['rawData', 'uri'], ['dataProcessingMethod', 'uri'], ['time', 'time'], ['microorganism', 'uri'],
  ['chemicalSubstance', 'uri'], ['value', 'number'], ['component', 'component'], ['stringValue', 'text'],
  ['booleanValue', 'boolean'], ['hexBinaryValue', 'text'], ['uriValue', 'uri'], ['minValue', 'number'],
  ['maxValue', 'number'], ['meanValue', 'number'], ['sDev', 'number'], ['percRank', 'number'],
  ['percValue', 'number'], ['uom', 'text'], ['coordinateReferenceSystem', 'uri'],
]

const TYPED_ENTRY_KEYS = {
  bizTransaction: new Set(['type', 'bizTransaction']),
  source: new Set(['type', 'source']),
  destination: new Set(['type', 'destination']),
} as const

const orderKeys = (order: FieldOrder) => new Set(order.map(([name]) => name))
const QUANTITY_ELEMENT_KEYS = orderKeys(QUANTITY_ELEMENT)
const LOCATION_KEYS = orderKeys(LOCATION)
const SENSOR_METADATA_KEYS = orderKeys(SENSOR_METADATA)
const SENSOR_REPORT_KEYS = orderKeys(SENSOR_REPORT)

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isExactNumber(value)
}

function asList(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** The canonical text of one standard value, or undefined when absent or empty (rule 4). */
function fieldValue(kind: FieldKind, raw: unknown, namespaces: Namespaces): string | undefined {
  if (typeof raw === 'number') return kind === 'number' || kind === 'text' ? canonicalNumber(raw) : String(raw)
  if (isExactNumber(raw)) return kind === 'number' || kind === 'text' ? canonicalNumber(raw) : raw.rawJSON
  if (typeof raw === 'boolean') return canonicalBoolean(raw)
  if (typeof raw !== 'string') return undefined
  const text = raw.trim()
  if (text === '') return undefined
  switch (kind) {
    case 'text':
      return text
    case 'uri':
      return canonicalUri(text, namespaces)
    case 'time':
      return canonicalTimestamp(text)
    case 'number':
      return canonicalNumber(text)
    case 'boolean':
      return canonicalBoolean(text)
    default: {
      const canonical = canonicalVocabulary(kind, text)
      if (canonical !== text) return canonical
      const expanded = expandCurie(text, namespaces)
      return expanded === text ? text : canonicalVocabulary(kind, expanded)
    }
  }
}

/** `name=value` pairs of an object's standard fields, in the given order. */
function orderedFields(object: Json, order: FieldOrder, namespaces: Namespaces): string {
  let result = ''
  for (const [name, kind] of order) {
    const value = fieldValue(kind, object[name], namespaces)
    if (value !== undefined) result += `${name}=${value}`
  }
  return result
}

class PreHashBuilder {
  private text = ''
  /** Extensions found inside standard fields, emitted after ILMD in property order. */
  private nested = ''

  constructor(
    private readonly event: Json,
    private readonly namespaces: Namespaces,
  ) {}

  build(): string {
    const { event } = this
    this.text = `eventType=${eventTypeName(event.type)}`
    this.scalar('eventTime', 'time')
    this.scalar('eventTimeZoneOffset', 'text')
    this.uriList('epcList')
    this.scalar('parentID', 'uri')
    this.uriList('inputEPCList')
    this.uriList('childEPCs')
    this.quantityList('quantityList')
    this.quantityList('childQuantityList')
    this.quantityList('inputQuantityList')
    this.uriList('outputEPCList')
    this.quantityList('outputQuantityList')
    this.scalar('action', 'text')
    this.scalar('transformationID', 'uri')
    this.scalar('bizStep', 'bizStep')
    this.scalar('disposition', 'disposition')
    this.persistentDisposition()
    this.location('readPoint')
    this.location('bizLocation')
    this.typedList('bizTransactionList', 'bizTransaction', 'bizTransactionType')
    this.typedList('sourceList', 'source', 'sourceDestType')
    this.typedList('destinationList', 'destination', 'sourceDestType')
    this.sensorElementList()
    this.ilmd()
    return this.text + this.nested + this.eventExtensions()
  }

  private scalar(name: string, kind: FieldKind): void {
    const value = fieldValue(kind, this.event[name], this.namespaces)
    if (value !== undefined) this.text += `${name}=${value}`
  }

  private uriList(name: string): void {
    const values: string[] = []
    for (const item of asList(this.event[name])) {
      const value = fieldValue('uri', item, this.namespaces)
      if (value !== undefined) values.push(`epc=${value}`)
    }
    if (values.length > 0) this.text += name + sortedJoin(values)
  }

  private quantityList(name: string): void {
    const elements: string[] = []
    const extensions: string[] = []
    for (const item of asList(this.event[name])) {
      if (!isObject(item)) continue
      const fields = orderedFields(item, QUANTITY_ELEMENT, this.namespaces)
      if (fields !== '') elements.push(`quantityElement${fields}`)
      const nested = extensionMembers(item, QUANTITY_ELEMENT_KEYS, this.namespaces)
      if (nested !== '') extensions.push(`quantityElement${nested}`)
    }
    if (elements.length > 0) this.text += name + sortedJoin(elements)
    if (extensions.length > 0) this.nested += name + sortedJoin(extensions)
  }

  private persistentDisposition(): void {
    const value = this.event.persistentDisposition
    if (!isObject(value)) return
    let fields = ''
    for (const name of ['set', 'unset'] as const) {
      const values: string[] = []
      for (const item of asList(value[name])) {
        const disposition = fieldValue('disposition', item, this.namespaces)
        if (disposition !== undefined) values.push(`${name}=${disposition}`)
      }
      fields += sortedJoin(values)
    }
    if (fields !== '') this.text += `persistentDisposition${fields}`
    const nested = extensionMembers(value, PERSISTENT_DISPOSITION_KEYS, this.namespaces)
    if (nested !== '') this.nested += `persistentDisposition${nested}`
  }

  private location(name: 'readPoint' | 'bizLocation'): void {
    const value = this.event[name]
    const object: Json | undefined = typeof value === 'string' ? { id: value } : isObject(value) ? value : undefined
    if (object === undefined) return
    const fields = orderedFields(object, LOCATION, this.namespaces)
    if (fields !== '') this.text += name + fields
    const nested = extensionMembers(object, LOCATION_KEYS, this.namespaces)
    if (nested !== '') this.nested += name + nested
  }

  /** bizTransactionList, sourceList, destinationList: the type comes before the value (rule 13). */
  private typedList(name: string, valueKey: 'bizTransaction' | 'source' | 'destination', typeKind: VocabularyKind): void {
    const entries: string[] = []
    const extensions: string[] = []
    const standard = TYPED_ENTRY_KEYS[valueKey]
    for (const item of asList(this.event[name])) {
      if (!isObject(item)) continue
      const value = fieldValue('uri', item[valueKey], this.namespaces)
      const type = fieldValue(typeKind, item.type, this.namespaces)
      if (value !== undefined || type !== undefined) {
        entries.push((type === undefined ? '' : `type=${type}`) + (value === undefined ? '' : `${valueKey}=${value}`))
      }
      const nested = extensionMembers(item, standard, this.namespaces)
      if (nested !== '') extensions.push(valueKey + nested)
    }
    if (entries.length > 0) this.text += name + sortedJoin(entries)
    if (extensions.length > 0) this.nested += name + sortedJoin(extensions)
  }

  private sensorElementList(): void {
    const elements: string[] = []
    const extensions: string[] = []
    for (const element of asList(this.event.sensorElementList)) {
      if (!isObject(element)) continue
      let fields = ''
      let nested = ''
      const metadata = element.sensorMetadata
      if (isObject(metadata)) {
        const metadataFields = orderedFields(metadata, SENSOR_METADATA, this.namespaces)
        if (metadataFields !== '') fields += `sensorMetadata${metadataFields}`
        const metadataNested = extensionMembers(metadata, SENSOR_METADATA_KEYS, this.namespaces)
        if (metadataNested !== '') nested += `sensorMetadata${metadataNested}`
      }
      const reports: string[] = []
      const reportExtensions: string[] = []
      for (const report of asList(element.sensorReport)) {
        if (!isObject(report)) continue
        const reportFields = orderedFields(report, SENSOR_REPORT, this.namespaces)
        if (reportFields !== '') reports.push(`sensorReport${reportFields}`)
        const reportNested = extensionMembers(report, SENSOR_REPORT_KEYS, this.namespaces)
        if (reportNested !== '') reportExtensions.push(`sensorReport${reportNested}`)
      }
      fields += sortedJoin(reports)
      nested += sortedJoin(reportExtensions) + extensionMembers(element, SENSOR_ELEMENT_KEYS, this.namespaces)
      if (fields !== '') elements.push(`sensorElement${fields}`)
      if (nested !== '') extensions.push(`sensorElement${nested}`)
    }
    this.text += sortedJoin(elements)
    this.nested += sortedJoin(extensions)
  }

  private ilmd(): void {
    const value = this.event.ilmd
    if (!isObject(value)) return
    const content = extensionMembers(value, NO_KEYS, this.namespaces)
    if (content !== '') this.text += `ilmd${content}`
  }

  private eventExtensions(): string {
    return extensionMembers(this.event, STANDARD_EVENT_KEYS, this.namespaces)
  }
}

const NO_KEYS: ReadonlySet<string> = new Set()

/** "ObjectEvent" also when written as a CURIE or full IRI of the EPCIS vocabulary. */
function eventTypeName(type: unknown): string {
  const name = typeof type === 'string' ? type.trim() : Array.isArray(type) && typeof type[0] === 'string' ? type[0].trim() : ''
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf(':'))
  return cut >= 0 ? name.slice(cut + 1) : name
}

export function buildPreHash(event: Json, namespaces: Namespaces): string {
  return new PreHashBuilder(event, namespaces).build()
}
