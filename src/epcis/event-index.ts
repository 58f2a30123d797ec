import { IdentifierRole } from '../db/tables/event-identifier.js'
import { LinkKind } from '../db/tables/event-link.js'
import { identifierKey } from '../identifiers/index.js'
import { extensionFieldsOf, type FieldRow } from '../query/indexing/extension-fields.js'
import { persistentDispositionsOf, type PersistentDispositionIndex } from '../query/indexing/persistent-dispositions.js'
import { sensorReportsOf, type SensorReportIndex } from '../query/indexing/sensor-reports.js'
import { canonicalIdentifier, canonicalVocabulary, type VocabularyKind } from './canonical.js'
import { isObject, type EpcisEvent } from './document.js'
import { eventHashId } from './event-hash/index.js'
import { isNumeric, numberText } from './exact-number.js'
import type { ResolvedContext } from './json-ld-context.js'
import { parseInstant } from './date-time.js'
import { MAX_INDEXED_BYTES, overlongIndexedValue, unstorableString } from './storable.js'
import { lotMembershipsOf } from '../traceability/lot-membership.js'

/** What the database indexes about one event, computed without I/O. */
export interface IndexedEvent {
  eventId: string | undefined
  /** CBV 2.0 event hash ID (ni:///sha-256;...?ver=CBV2.0). */
  eventHash: string
  eventType: string
  eventTime: string
  eventTimeZoneOffset: string
  action: string | null
  bizStep: string | null
  disposition: string | null
  readPoint: string | null
  bizLocation: string | null
  transformationId: string | null
  errorDeclarationTime: string | null
  errorReason: string | null
  identifiers: Array<{ role: number; identifier: string; quantity: string | null; uom: string | null }>
  links: Array<{ kind: number; type: string | null; value: string }>
  extensions: Record<string, unknown> | null
  /** Every extension field occurrence, wherever it sits (the query interface's EQ_/GT_/EXISTS_... forms). */
  fields: FieldRow[]
  sensorReports: SensorReportIndex[]
  persistentDispositions: PersistentDispositionIndex[]
  /** GS1 Company Prefixes spelled out by the event's EPC URNs. */
  companyPrefixes: string[]
}

/** An event that passed the schema but cannot be stored as it is (bad identifier, bad time, ...). */
export class EventContentError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message)
  }
}

const STANDARD_FIELDS = new Set([
  '@context', 'type', 'eventTime', 'recordTime', 'eventTimeZoneOffset', 'eventID', 'certificationInfo',
  'errorDeclaration', 'epcList', 'quantityList', 'action', 'bizStep', 'disposition', 'persistentDisposition',
  'readPoint', 'bizLocation', 'bizTransactionList', 'sourceList', 'destinationList', 'sensorElementList', 'ilmd',
  'parentID', 'childEPCs', 'childQuantityList', 'inputEPCList', 'inputQuantityList', 'outputEPCList',
  'outputQuantityList', 'transformationID',
])

const EPC_LISTS: Array<[string, number]> = [
  ['epcList', IdentifierRole.epc],
  ['childEPCs', IdentifierRole.child],
  ['inputEPCList', IdentifierRole.input],
  ['outputEPCList', IdentifierRole.output],
]

const QUANTITY_LISTS: Array<[string, number]> = [
  ['quantityList', IdentifierRole.quantity],
  ['childQuantityList', IdentifierRole.childQuantity],
  ['inputQuantityList', IdentifierRole.inputQuantity],
  ['outputQuantityList', IdentifierRole.outputQuantity],
]

const LINK_LISTS: Array<[string, string, number]> = [
  ['bizTransactionList', 'bizTransaction', LinkKind.bizTransaction],
  ['sourceList', 'source', LinkKind.source],
  ['destinationList', 'destination', LinkKind.destination],
]

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** The canonical key of an identifier; an EPC URN adds the GS1 Company Prefix it spells out to `prefixes`. */
function keyOf(value: string, prefixes: Set<string>): string {
  const key = identifierKey(value)
  if (key.companyPrefix && value.startsWith('urn:epc:')) prefixes.add(key.companyPrefix)
  return key.canonical
}

/**
 * A business transaction's key: its canonical identifier when it is a GS1 key in any form (GDTI, GSRN, GINC...
 * as EPC URN or Digital Link), else the URI as given: bizTransaction values are often not GS1 keys
 * (urn:epcglobal:cbv:bt:..., an ERP's own URI) and are never rejected for that.
 */
function transactionKey(value: string): string {
  try {
    return canonicalIdentifier(value)
  } catch {
    return value
  }
}

function vocabularyAt(kind: VocabularyKind, value: unknown): string | null {
  return typeof value === 'string' ? canonicalVocabulary(kind, value) : null
}

/** ISO 8601 time with an offset, checked to be a real instant. */
function instant(value: unknown, pointer: string): string {
  if (typeof value !== 'string' || parseInstant(value) === undefined) {
    throw new EventContentError(pointer, `'${String(value)}' is not a valid date-time`)
  }
  return value
}

/** Expands the property names of an extension value, recursively, with the document's context. */
export function expandNames(value: unknown, context: ResolvedContext): unknown {
  if (Array.isArray(value)) return value.map((item) => expandNames(item, context))
  if (!isObject(value)) return value
  const expanded: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    expanded[key.includes(':') ? context.expandName(key) : key] = expandNames(child, context)
  }
  return expanded
}

function extensionsOf(event: EpcisEvent, context: ResolvedContext): Record<string, unknown> | null {
  const extensions: Record<string, unknown> = {}
  let any = false
  for (const [key, value] of Object.entries(event)) {
    if (STANDARD_FIELDS.has(key)) continue
    extensions[context.expandName(key)] = expandNames(value, context)
    any = true
  }
  if (isObject(event.ilmd)) {
    extensions.ilmd = expandNames(event.ilmd, context)
    any = true
  }
  return any ? extensions : null
}

/** Computes the indexed columns, identifier rows and link rows of one schema-valid event. */
export function indexEvent(event: EpcisEvent, context: ResolvedContext, pointer: string): IndexedEvent {
  const unstorable = unstorableString(event, pointer)
  if (unstorable) throw new EventContentError(unstorable.pointer, unstorable.message)
  const indexed = indexFields(event, context, pointer)
  if (mayBeOverlong(indexed)) {
    const overlong = overlongIndexedValue(indexedTexts(event, indexed))
    if (overlong) throw new EventContentError(pointer || '/', overlong)
  }
  return indexed
}

/** Characters a text may have and still fit MAX_INDEXED_BYTES whatever it holds (at most 3 UTF-8 bytes per UTF-16 unit). */
const SURELY_SHORT = Math.floor(MAX_INDEXED_BYTES / 3)
const longer = (value: string | null | undefined): boolean => value !== null && value !== undefined && value.length > SURELY_SHORT

/**
 * Whether any text indexedTexts names may be too long: without this pre-check each event would build
 * its list of named texts (and its lot memberships) only to find them all short. Lots are left out: a
 * lot is a valid GS1 key (a class key and a batch/lot of at most 20 characters) and so always short.
 */
function mayBeOverlong(indexed: IndexedEvent): boolean {
  if (longer(indexed.eventId) || longer(indexed.bizStep) || longer(indexed.disposition) || longer(indexed.readPoint)) return true
  if (longer(indexed.bizLocation) || longer(indexed.transformationId) || longer(indexed.errorReason)) return true
  for (const x of indexed.identifiers) if (longer(x.identifier) || longer(x.uom)) return true
  for (const x of indexed.links) if (longer(x.value)) return true
  for (const x of indexed.fields) if (longer(x.name)) return true
  for (const x of indexed.sensorReports) for (const what of SENSOR_KEYS) if (longer(x[what])) return true
  for (const x of indexed.persistentDispositions) if (longer(x.disposition)) return true
  return false
}

/** Sensor report columns indexed whole (the free texts and values are indexed by their first 200 characters). */
const SENSOR_KEYS = ['type', 'deviceId', 'dataProcessingMethod', 'bizRules', 'microorganism', 'chemicalSubstance', 'uom'] as const

/** Every text of an indexed event that an index holds, with what it is. */
function* indexedTexts(event: EpcisEvent, indexed: IndexedEvent): Generator<[string, string | null | undefined]> {
  yield ['eventID', indexed.eventId]
  yield ['bizStep', indexed.bizStep]
  yield ['disposition', indexed.disposition]
  yield ['readPoint', indexed.readPoint]
  yield ['bizLocation', indexed.bizLocation]
  yield ['transformationID', indexed.transformationId]
  yield ['errorDeclaration reason', indexed.errorReason]
  for (const x of indexed.identifiers) {
    yield ['an identifier', x.identifier]
    yield ['a unit of measure', x.uom]
  }
  for (const x of indexed.links) yield ['a business transaction, source or destination', x.value]
  for (const x of indexed.fields) yield ['an extension field name', x.name]
  for (const x of indexed.sensorReports) {
    for (const what of SENSOR_KEYS) yield [`a sensor report's ${what}`, x[what]]
  }
  for (const x of indexed.persistentDispositions) yield ['a persistent disposition', x.disposition]
  for (const x of lotMembershipsOf(event, indexed)) yield ['a lot', x.lot]
}

/** The identifier rows of an event, in the order of its fields; each canonical key read once. */
class IdentifierCollector {
  readonly identifiers: IndexedEvent['identifiers'] = []
  readonly prefixes = new Set<string>()
  constructor(private readonly pointer: string) {}

  /**
   * The canonical key of the value at `/field[/index][/member]` of the event. The JSON pointer is only
   * written out for an error message (one string per identifier was a good part of the garbage).
   */
  key(value: string, field: string, index: number, member: string): string {
    try {
      return keyOf(value, this.prefixes)
    } catch (error) {
      const at = `${this.pointer}/${field}${index < 0 ? '' : `/${index}`}${member === '' ? '' : `/${member}`}`
      throw new EventContentError(at, `${(error as Error).message}`)
    }
  }

  add(role: number, value: unknown, field: string, index: number, member: string, quantity: string | null = null, uom: string | null = null): void {
    if (typeof value === 'string') this.identifiers.push({ role, identifier: this.key(value, field, index, member), quantity, uom })
  }

  epcList(event: EpcisEvent, field: string, role: number): void {
    const list = event[field]
    if (!Array.isArray(list)) return
    for (let i = 0; i < list.length; i++) this.add(role, list[i], field, i, '')
  }

  quantityList(event: EpcisEvent, field: string, role: number): void {
    const list = event[field]
    if (!Array.isArray(list)) return
    for (let i = 0; i < list.length; i++) {
      const element: unknown = list[i]
      if (!isObject(element)) continue
      const quantity = isNumeric(element.quantity) ? numberText(element.quantity) : null
      this.add(role, element.epcClass, field, i, 'epcClass', quantity, text(element.uom))
    }
  }
}

function indexFields(event: EpcisEvent, context: ResolvedContext, pointer: string): IndexedEvent {
  const collect = new IdentifierCollector(pointer)
  if (typeof event.parentID === 'string') collect.add(IdentifierRole.parent, event.parentID, 'parentID', -1, '')
  for (const [field, role] of EPC_LISTS) collect.epcList(event, field, role)
  for (const [field, role] of QUANTITY_LISTS) collect.quantityList(event, field, role)
  const links: IndexedEvent['links'] = []
  for (const [field, valueKey, kind] of LINK_LISTS) {
    const list = event[field]
    if (!Array.isArray(list)) continue
    const typeKind: VocabularyKind = kind === LinkKind.bizTransaction ? 'bizTransactionType' : 'sourceDestType'
    for (let i = 0; i < list.length; i++) {
      const element: unknown = list[i]
      if (!isObject(element)) continue
      const value = element[valueKey]
      if (typeof value !== 'string') continue
      links.push({
        kind,
        type: vocabularyAt(typeKind, element.type),
        value: kind === LinkKind.bizTransaction ? transactionKey(value) : collect.key(value, field, i, valueKey),
      })
    }
  }
  const readPoint = isObject(event.readPoint) ? text(event.readPoint.id) : null
  const bizLocation = isObject(event.bizLocation) ? text(event.bizLocation.id) : null
  const declaration = isObject(event.errorDeclaration) ? event.errorDeclaration : undefined
  const readPointKey = readPoint === null ? null : collect.key(readPoint, 'readPoint', -1, 'id')
  const bizLocationKey = bizLocation === null ? null : collect.key(bizLocation, 'bizLocation', -1, 'id')
  return {
    eventId: text(event.eventID) ?? undefined,
    eventHash: eventHashId(event, context.namespaces),
    eventType: String(event.type),
    eventTime: instant(event.eventTime, `${pointer}/eventTime`),
    eventTimeZoneOffset: String(event.eventTimeZoneOffset),
    action: text(event.action),
    bizStep: vocabularyAt('bizStep', event.bizStep),
    disposition: vocabularyAt('disposition', event.disposition),
    readPoint: readPointKey,
    bizLocation: bizLocationKey,
    transformationId: text(event.transformationID),
    errorDeclarationTime: declaration
      ? instant(declaration.declarationTime, `${pointer}/errorDeclaration/declarationTime`)
      : null,
    errorReason: declaration ? vocabularyAt('errorReason', declaration.reason) : null,
    identifiers: collect.identifiers,
    links,
    extensions: extensionsOf(event, context),
    fields: extensionFieldsOf(event, { expandName: (name) => context.expandName(name), standardFields: STANDARD_FIELDS }),
    sensorReports: sensorReportsOf(event),
    persistentDispositions: persistentDispositionsOf(event),
    companyPrefixes: [...collect.prefixes],
  }
}
