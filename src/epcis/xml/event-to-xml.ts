import type { XmlWriter } from './xml-writer.js'
import { decimalText } from './xml-writer.js'
import { isNumeric } from '../exact-number.js'
import type { XmlNaming } from './xml-names.js'
import type { JsonObject } from './json-value.js'
import { isJsonObject } from './json-value.js'
import { scalarText, writeExtension, writeMembers } from './extension-to-xml.js'
import { xmlTerm } from './cbv-terms.js'
import type { CbvXmlFormat, VocabularyKind } from './cbv-terms.js'
import { EVENT_TYPES } from './event-from-xml.js'

const BASE_FIELDS = ['eventTime', 'recordTime', 'eventTimeZoneOffset', 'eventID', 'errorDeclaration', 'certificationInfo']

const WHAT_WHERE_WHY = ['action', 'bizStep', 'disposition', 'readPoint', 'bizLocation']

/** Element order of each event type in the EPCIS 2.0 XSD (after the base fields). */
const FIELD_ORDER: Record<string, string[]> = {
  ObjectEvent: [
    'epcList',
    ...WHAT_WHERE_WHY,
    'bizTransactionList',
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
    'ilmd',
  ],
  AggregationEvent: [
    'parentID',
    'childEPCs',
    ...WHAT_WHERE_WHY,
    'bizTransactionList',
    'childQuantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransactionEvent: [
    'bizTransactionList',
    'parentID',
    'epcList',
    ...WHAT_WHERE_WHY,
    'quantityList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
  TransformationEvent: [
    'inputEPCList',
    'inputQuantityList',
    'outputEPCList',
    'outputQuantityList',
    'transformationID',
    'bizStep',
    'disposition',
    'readPoint',
    'bizLocation',
    'bizTransactionList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
    'ilmd',
  ],
  AssociationEvent: [
    'parentID',
    'childEPCs',
    'childQuantityList',
    ...WHAT_WHERE_WHY,
    'bizTransactionList',
    'sourceList',
    'destinationList',
    'sensorElementList',
    'persistentDisposition',
  ],
}

/** Members of the JSON event that are not EPCIS fields nor extensions. */
const NOT_RENDERED = new Set(['type', '@context'])

interface EventContext {
  writer: XmlWriter
  naming: XmlNaming
  cbvFormat: CbvXmlFormat
}

/**
 * One JSON-LD event as an EPCIS 2.0 XML event element, fields in XSD order, CBV terms as URIs in the requested
 * form, extension properties as namespaced elements after the standard fields. Event types outside EPCIS
 * (`"type": "ext:MyEvent"`) go in an EventList `<extension>`, as the XSD requires.
 */
export function writeEvent(writer: XmlWriter, baseNaming: XmlNaming, event: JsonObject, cbvFormat: CbvXmlFormat): void {
  const naming = baseNaming.withContext(event['@context'])
  const type = typeof event.type === 'string' ? event.type : ''
  const context: EventContext = { writer, naming, cbvFormat }
  const order = FIELD_ORDER[type]
  if (order === undefined || !EVENT_TYPES.has(type)) {
    const name = naming.qualified(type)
    if (name === undefined) return
    writer.start('extension')
    writeEventElement(context, name, event, undefined)
    writer.end('extension')
    return
  }
  writeEventElement(context, type, event, order)
}

/** `order` is undefined for a non-EPCIS event type: its own members are written as unqualified elements. */
function writeEventElement(context: EventContext, name: string, event: JsonObject, order: string[] | undefined): void {
  const { writer, naming } = context
  const fields = [...BASE_FIELDS, ...(order ?? [])]
  const known = new Set(fields)
  writer.start(name)
  for (const field of fields) {
    const value = event[field]
    if (value !== undefined && value !== null) writeField(context, field, value)
  }
  const rest = Object.entries(event).filter(([key]) => !known.has(key) && !NOT_RENDERED.has(key))
  if (order === undefined) writeMembers(writer, naming, rest)
  else for (const [key, value] of rest) if (key.includes(':')) writeExtension(writer, naming, key, value)
  writer.end(name)
}

function writeField(context: EventContext, field: string, value: unknown): void {
  const { writer, cbvFormat } = context
  switch (field) {
    case 'epcList':
    case 'childEPCs':
    case 'inputEPCList':
    case 'outputEPCList':
      writeList(writer, field, 'epc', value)
      return
    case 'quantityList':
    case 'childQuantityList':
    case 'inputQuantityList':
    case 'outputQuantityList':
      writeQuantityList(writer, field, value)
      return
    case 'bizStep':
      writer.leaf(field, xmlTerm('bizStep', scalarText(value), cbvFormat))
      return
    case 'disposition':
      writer.leaf(field, xmlTerm('disposition', scalarText(value), cbvFormat))
      return
    case 'readPoint':
    case 'bizLocation':
      writeLocation(context, field, value)
      return
    case 'bizTransactionList':
      writeTypedList(context, field, 'bizTransaction', 'bizTransactionType', value)
      return
    case 'sourceList':
      writeTypedList(context, field, 'source', 'sourceDestType', value)
      return
    case 'destinationList':
      writeTypedList(context, field, 'destination', 'sourceDestType', value)
      return
    case 'sensorElementList':
      writeSensorElementList(context, value)
      return
    case 'persistentDisposition':
      writePersistentDisposition(context, value)
      return
    case 'ilmd':
      writeExtensionContainer(context, 'ilmd', value)
      return
    case 'errorDeclaration':
      writeErrorDeclaration(context, value)
      return
    case 'certificationInfo':
      // The XSD allows one; the JSON binding a list. Only the first has an XML place.
      writer.leaf(field, scalarText(Array.isArray(value) ? value[0] : value))
      return
    default:
      writer.leaf(field, scalarText(value))
  }
}

function writeList(writer: XmlWriter, name: string, itemName: string, value: unknown): void {
  const items = Array.isArray(value) ? value : [value]
  if (items.length === 0) {
    writer.leaf(name, '')
    return
  }
  writer.start(name)
  for (const item of items) writer.leaf(itemName, scalarText(item))
  writer.end(name)
}

function writeQuantityList(writer: XmlWriter, name: string, value: unknown): void {
  const items = (Array.isArray(value) ? value : [value]).filter(isJsonObject)
  if (items.length === 0) {
    writer.leaf(name, '')
    return
  }
  writer.start(name)
  for (const item of items) {
    writer.start('quantityElement')
    writer.leaf('epcClass', scalarText(item.epcClass))
    const quantity = item.quantity
    const hasQuantity = isNumeric(quantity)
    if (hasQuantity) writer.leaf('quantity', decimalText(quantity))
    if (item.uom !== undefined && item.uom !== null) {
      // uom may only follow a quantity; an unknown quantity is written as nil.
      if (!hasQuantity) writer.leaf('quantity', '', [['xsi:nil', 'true']])
      writer.leaf('uom', scalarText(item.uom))
    }
    writer.end('quantityElement')
  }
  writer.end(name)
}

function writeLocation(context: EventContext, name: string, value: unknown): void {
  const { writer, naming } = context
  const location = isJsonObject(value) ? value : { id: scalarText(value) }
  writer.start(name)
  writer.leaf('id', scalarText(location.id))
  for (const [key, member] of Object.entries(location)) if (key.includes(':')) writeExtension(writer, naming, key, member)
  writer.end(name)
}

function writeTypedList(context: EventContext, name: string, itemName: string, kind: VocabularyKind, value: unknown): void {
  const { writer, cbvFormat } = context
  const items = (Array.isArray(value) ? value : [value]).filter(isJsonObject)
  if (items.length === 0) return
  writer.start(name)
  for (const item of items) {
    const type = item.type === undefined || item.type === null ? [] : ([['type', xmlTerm(kind, scalarText(item.type), cbvFormat)]] as const)
    writer.leaf(itemName, scalarText(item[itemName]), type)
  }
  writer.end(name)
}

function writePersistentDisposition(context: EventContext, value: unknown): void {
  const { writer, cbvFormat } = context
  if (!isJsonObject(value)) return
  writer.start('persistentDisposition')
  for (const name of ['unset', 'set'] as const) {
    const items = value[name]
    for (const item of Array.isArray(items) ? items : items === undefined ? [] : [items]) {
      writer.leaf(name, xmlTerm('disposition', scalarText(item), cbvFormat))
    }
  }
  writer.end('persistentDisposition')
}

function writeExtensionContainer(context: EventContext, name: string, value: unknown): void {
  const { writer, naming } = context
  if (!isJsonObject(value)) return
  writer.start(name)
  for (const [key, member] of Object.entries(value)) if (key.includes(':')) writeExtension(writer, naming, key, member)
  writer.end(name)
}

function writeErrorDeclaration(context: EventContext, value: unknown): void {
  const { writer, naming, cbvFormat } = context
  if (!isJsonObject(value)) return
  writer.start('errorDeclaration')
  if (value.declarationTime !== undefined) writer.leaf('declarationTime', scalarText(value.declarationTime))
  if (value.reason !== undefined && value.reason !== null) writer.leaf('reason', xmlTerm('errorReason', scalarText(value.reason), cbvFormat))
  if (value.correctiveEventIDs !== undefined) writeList(writer, 'correctiveEventIDs', 'correctiveEventID', value.correctiveEventIDs)
  for (const [key, member] of Object.entries(value)) if (key.includes(':')) writeExtension(writer, naming, key, member)
  writer.end('errorDeclaration')
}

const SENSOR_REPORT_TERMS: Record<string, VocabularyKind> = {
  type: 'measurementType',
  exception: 'sensorAlertType',
  component: 'component',
}

function writeSensorElementList(context: EventContext, value: unknown): void {
  const { writer, naming } = context
  const elements = (Array.isArray(value) ? value : [value]).filter(isJsonObject)
  if (elements.length === 0) return
  writer.start('sensorElementList')
  for (const element of elements) {
    writer.start('sensorElement')
    if (isJsonObject(element.sensorMetadata)) writer.leaf('sensorMetadata', '', sensorAttributes(context, element.sensorMetadata))
    const reports = Array.isArray(element.sensorReport) ? element.sensorReport : [element.sensorReport]
    for (const report of reports.filter(isJsonObject)) writer.leaf('sensorReport', '', sensorAttributes(context, report))
    for (const [key, member] of Object.entries(element)) if (key.includes(':')) writeExtension(writer, naming, key, member)
    writer.end('sensorElement')
  }
  writer.end('sensorElementList')
}

/** sensorMetadata / sensorReport members become attributes; namespaced ones in their namespace. */
function sensorAttributes(context: EventContext, value: JsonObject): [string, string][] {
  const attributes: [string, string][] = []
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue
    if (key.includes(':')) {
      const name = context.naming.qualified(key)
      if (name !== undefined) attributes.push([name, scalarText(member)])
      continue
    }
    const kind = SENSOR_REPORT_TERMS[key]
    attributes.push([key, kind === undefined ? scalarText(member) : xmlTerm(kind, scalarText(member), context.cbvFormat)])
  }
  return attributes
}
