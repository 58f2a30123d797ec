import { XmlInputError } from './errors.js'
import type { XNode } from './xml-node.js'
import { attributeValue, isNil, simpleText } from './xml-node.js'
import type { JsonLdPrefixes } from './jsonld-prefixes.js'
import type { JsonObject, JsonValue } from './json-value.js'
import { addRepeatable } from './json-value.js'
import { isEpcisNamespace, isXmlMachineryNamespace } from './namespaces.js'
import { addExtensionAttributes, extensionValue, jsonKey } from './extension-from-xml.js'
import { jsonTerm } from './cbv-terms.js'
import type { VocabularyKind } from './cbv-terms.js'
import { booleanFrom, decimalFrom, doubleFrom } from './xml-numbers.js'

export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
])

const ACTIONS: ReadonlySet<string> = new Set(['ADD', 'OBSERVE', 'DELETE'])

/**
 * One XML event (EPCIS 2.0, or 1.2 with its `extension` / `baseExtension` wrappers) as the JSON-LD event
 * a JSON client would have sent. The wrappers are unwrapped wherever they occur, so a 1.2 event and its
 * 2.0 rewrite give the same JSON. Structure is checked as it is read (the 1.2 binding has no vendored XSD):
 * unknown EPCIS elements, repeated single fields, missing required fields and malformed numbers are refused.
 */
export function eventFromXml(node: XNode, prefixes: JsonLdPrefixes): JsonObject {
  const type = eventType(node, prefixes)
  const event: JsonObject = { type }
  const reader = new FieldReader(type, event, prefixes)
  addExtensionAttributes(node, event, prefixes)
  for (const child of unwrapped(node, event, prefixes)) reader.read(child)
  requireFields(node, event, type)
  return event
}

function eventType(node: XNode, prefixes: JsonLdPrefixes): string {
  if (!isEpcisNamespace(node.uri)) return jsonKey(node.uri, node.prefix, node.local, prefixes)
  if (EVENT_TYPES.has(node.local)) return node.local
  if (node.local === 'QuantityEvent') {
    throw new XmlInputError(
      'unsupported',
      'QuantityEvent was deprecated in EPCIS 1.1 and removed in EPCIS 2.0; send an ObjectEvent with a quantityList instead',
      node.line,
    )
  }
  throw new XmlInputError('structure', `<${node.local}> is not an EPCIS event type`, node.line)
}

/** The children of `node`, with EPCIS `extension` / `baseExtension` wrappers replaced by their content. */
function* unwrapped(node: XNode, target: JsonObject, prefixes: JsonLdPrefixes): Generator<XNode> {
  for (const child of node.children) {
    if (isEpcisNamespace(child.uri) && (child.local === 'extension' || child.local === 'baseExtension')) {
      addExtensionAttributes(child, target, prefixes)
      yield* unwrapped(child, target, prefixes)
    } else {
      yield child
    }
  }
}

type Reader = (child: XNode) => JsonValue

class FieldReader {
  private readonly readers: Record<string, Reader>

  constructor(
    private readonly type: string,
    private readonly event: JsonObject,
    private readonly prefixes: JsonLdPrefixes,
  ) {
    const text: Reader = (child) => simpleText(child)
    const epcs: Reader = (child) => idList(child, 'epc')
    const quantities: Reader = (child) => quantityList(child)
    const cbv =
      (kind: VocabularyKind): Reader =>
      (child) =>
        jsonTerm(kind, simpleText(child))
    this.readers = {
      eventTime: text,
      recordTime: text,
      eventTimeZoneOffset: text,
      eventID: text,
      transformationID: text,
      parentID: text,
      action: (child) => action(child),
      epcList: epcs,
      childEPCs: epcs,
      inputEPCList: epcs,
      outputEPCList: epcs,
      quantityList: quantities,
      childQuantityList: quantities,
      inputQuantityList: quantities,
      outputQuantityList: quantities,
      bizStep: cbv('bizStep'),
      disposition: cbv('disposition'),
      readPoint: (child) => location(child, prefixes),
      bizLocation: (child) => location(child, prefixes),
      bizTransactionList: (child) => bizTransactionList(child),
      sourceList: (child) => sourceDestinationList(child, 'source'),
      destinationList: (child) => sourceDestinationList(child, 'destination'),
      sensorElementList: (child) => sensorElementList(child, prefixes),
      persistentDisposition: (child) => persistentDisposition(child),
      ilmd: (child) => ilmd(child, prefixes),
      errorDeclaration: (child) => errorDeclaration(child, prefixes),
    }
  }

  read(child: XNode): void {
    if (!isEpcisNamespace(child.uri)) {
      if (isXmlMachineryNamespace(child.uri)) return
      addRepeatable(this.event, jsonKey(child.uri, child.prefix, child.local, this.prefixes), extensionValue(child, this.prefixes))
      return
    }
    if (child.local === 'certificationInfo') {
      // One in the XSD; the JSON binding allows a list, so repeats are kept rather than refused.
      addRepeatable(this.event, 'certificationInfo', simpleText(child))
      return
    }
    const reader = this.readers[child.local]
    if (reader === undefined) {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in ${this.type}`, child.line)
    }
    if (child.local in this.event) {
      throw new XmlInputError('structure', `<${child.local}> appears more than once in ${this.type}`, child.line)
    }
    this.event[child.local] = reader(child)
  }
}

function requireFields(node: XNode, event: JsonObject, type: string): void {
  const required = ['eventTime', 'eventTimeZoneOffset']
  if (type === 'ObjectEvent' || type === 'AggregationEvent' || type === 'TransactionEvent' || type === 'AssociationEvent') {
    required.push('action')
  }
  if (type === 'TransactionEvent') required.push('bizTransactionList')
  if (type === 'AssociationEvent') required.push('parentID')
  for (const field of required) {
    if (!(field in event)) throw new XmlInputError('structure', `${type} has no <${field}>`, node.line)
  }
}

function action(node: XNode): string {
  const value = simpleText(node)
  if (!ACTIONS.has(value)) throw new XmlInputError('structure', `<action> must be ADD, OBSERVE or DELETE, found "${value}"`, node.line)
  return value
}

function idList(node: XNode, itemName: string): string[] {
  return elementsNamed(node, itemName, `<${node.local}>`).map((item) => simpleText(item))
}

/** The children of `node`, all of which must be the EPCIS element `name`. */
function elementsNamed(node: XNode, name: string, where: string): XNode[] {
  for (const child of node.children) {
    if (!isEpcisNamespace(child.uri) || child.local !== name) {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in ${where}, expected <${name}>`, child.line)
    }
  }
  return node.children
}

function quantityList(node: XNode): JsonObject[] {
  return elementsNamed(node, 'quantityElement', `<${node.local}>`).map((element) => {
    const quantity: JsonObject = {}
    for (const child of element.children) {
      const name = isEpcisNamespace(child.uri) ? child.local : ''
      if (name !== 'epcClass' && name !== 'quantity' && name !== 'uom') {
        throw new XmlInputError('structure', `Unexpected element <${child.local}> in <quantityElement>`, child.line)
      }
      if (name in quantity) throw new XmlInputError('structure', `<${name}> appears more than once in <quantityElement>`, child.line)
      if (name === 'quantity') {
        if (!isNil(child)) quantity.quantity = decimalFrom(child.text, '<quantity>', child.line)
      } else {
        quantity[name] = simpleText(child)
      }
    }
    if (!('epcClass' in quantity)) throw new XmlInputError('structure', '<quantityElement> has no <epcClass>', element.line)
    return quantity
  })
}

function location(node: XNode, prefixes: JsonLdPrefixes): JsonObject {
  const id = node.children.find((child) => isEpcisNamespace(child.uri) && child.local === 'id')
  if (id === undefined) throw new XmlInputError('structure', `<${node.local}> has no <id>`, node.line)
  const result: JsonObject = { id: simpleText(id) }
  for (const child of unwrapped(node, result, prefixes)) {
    if (child === id || isXmlMachineryNamespace(child.uri)) continue
    if (isEpcisNamespace(child.uri)) throw new XmlInputError('structure', `Unexpected element <${child.local}> in <${node.local}>`, child.line)
    addRepeatable(result, jsonKey(child.uri, child.prefix, child.local, prefixes), extensionValue(child, prefixes))
  }
  return result
}

function bizTransactionList(node: XNode): JsonObject[] {
  return elementsNamed(node, 'bizTransaction', '<bizTransactionList>').map((element) => {
    const type = attributeValue(element, 'type')
    const transaction: JsonObject = {}
    if (type !== undefined) transaction.type = jsonTerm('bizTransactionType', type.trim())
    transaction.bizTransaction = simpleText(element)
    return transaction
  })
}

function sourceDestinationList(node: XNode, itemName: 'source' | 'destination'): JsonObject[] {
  return elementsNamed(node, itemName, `<${node.local}>`).map((element) => {
    const type = attributeValue(element, 'type')
    if (type === undefined) throw new XmlInputError('structure', `<${itemName}> has no type attribute`, element.line)
    return { type: jsonTerm('sourceDestType', type.trim()), [itemName]: simpleText(element) }
  })
}

function persistentDisposition(node: XNode): JsonObject {
  const result: { set?: string[]; unset?: string[] } = {}
  for (const child of node.children) {
    if (!isEpcisNamespace(child.uri) || (child.local !== 'set' && child.local !== 'unset')) {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in <persistentDisposition>`, child.line)
    }
    ;(result[child.local] ??= []).push(jsonTerm('disposition', simpleText(child)))
  }
  return result
}

function ilmd(node: XNode, prefixes: JsonLdPrefixes): JsonObject {
  const result: JsonObject = {}
  addExtensionAttributes(node, result, prefixes)
  for (const child of unwrapped(node, result, prefixes)) {
    if (isXmlMachineryNamespace(child.uri)) continue
    addRepeatable(result, jsonKey(child.uri, child.prefix, child.local, prefixes), extensionValue(child, prefixes))
  }
  return result
}

function errorDeclaration(node: XNode, prefixes: JsonLdPrefixes): JsonObject {
  const result: JsonObject = {}
  addExtensionAttributes(node, result, prefixes)
  for (const child of unwrapped(node, result, prefixes)) {
    if (!isEpcisNamespace(child.uri)) {
      if (!isXmlMachineryNamespace(child.uri)) {
        addRepeatable(result, jsonKey(child.uri, child.prefix, child.local, prefixes), extensionValue(child, prefixes))
      }
      continue
    }
    if (child.local in result) {
      throw new XmlInputError('structure', `<${child.local}> appears more than once in <errorDeclaration>`, child.line)
    }
    if (child.local === 'declarationTime') result.declarationTime = simpleText(child)
    else if (child.local === 'reason') result.reason = jsonTerm('errorReason', simpleText(child))
    else if (child.local === 'correctiveEventIDs') result.correctiveEventIDs = idList(child, 'correctiveEventID')
    else throw new XmlInputError('structure', `Unexpected element <${child.local}> in <errorDeclaration>`, child.line)
  }
  if (!('declarationTime' in result)) throw new XmlInputError('structure', '<errorDeclaration> has no <declarationTime>', node.line)
  return result
}

function sensorElementList(node: XNode, prefixes: JsonLdPrefixes): JsonObject[] {
  const elements: JsonObject[] = []
  for (const child of unwrapped(node, {}, prefixes)) {
    if (!isEpcisNamespace(child.uri) || child.local !== 'sensorElement') {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in <sensorElementList>`, child.line)
    }
    elements.push(sensorElement(child, prefixes))
  }
  return elements
}

function sensorElement(node: XNode, prefixes: JsonLdPrefixes): JsonObject {
  const result: JsonObject = {}
  const reports: JsonObject[] = []
  for (const child of unwrapped(node, result, prefixes)) {
    if (!isEpcisNamespace(child.uri)) {
      if (!isXmlMachineryNamespace(child.uri)) {
        addRepeatable(result, jsonKey(child.uri, child.prefix, child.local, prefixes), extensionValue(child, prefixes))
      }
    } else if (child.local === 'sensorMetadata' && !('sensorMetadata' in result)) {
      result.sensorMetadata = sensorAttributes(child, METADATA_ATTRIBUTES, prefixes)
    } else if (child.local === 'sensorReport') {
      reports.push(sensorAttributes(child, REPORT_ATTRIBUTES, prefixes))
    } else {
      throw new XmlInputError('structure', `Unexpected element <${child.local}> in <sensorElement>`, child.line)
    }
  }
  if (reports.length === 0) throw new XmlInputError('structure', '<sensorElement> has no <sensorReport>', node.line)
  const { sensorMetadata, ...extensions } = result
  return { ...(sensorMetadata === undefined ? {} : { sensorMetadata }), sensorReport: reports, ...extensions }
}

type AttributeReader = (value: string, what: string, line: number) => JsonValue

const asString: AttributeReader = (value) => value
const asDouble: AttributeReader = doubleFrom
const asBoolean: AttributeReader = booleanFrom
const asTerm =
  (kind: VocabularyKind): AttributeReader =>
  (value) =>
    jsonTerm(kind, value.trim())

const METADATA_ATTRIBUTES: Record<string, AttributeReader> = {
  time: asString,
  deviceID: asString,
  deviceMetadata: asString,
  rawData: asString,
  startTime: asString,
  endTime: asString,
  bizRules: asString,
  dataProcessingMethod: asString,
}

const REPORT_ATTRIBUTES: Record<string, AttributeReader> = {
  type: asTerm('measurementType'),
  exception: asTerm('sensorAlertType'),
  deviceID: asString,
  deviceMetadata: asString,
  rawData: asString,
  dataProcessingMethod: asString,
  bizRules: asString,
  time: asString,
  microorganism: asString,
  chemicalSubstance: asString,
  coordinateReferenceSystem: asString,
  value: asDouble,
  component: asTerm('component'),
  stringValue: asString,
  booleanValue: asBoolean,
  hexBinaryValue: asString,
  uriValue: asString,
  minValue: asDouble,
  maxValue: asDouble,
  meanValue: asDouble,
  sDev: asDouble,
  percRank: asDouble,
  percValue: asDouble,
  uom: asString,
}

/** sensorMetadata / sensorReport: everything is in attributes; namespaced ones are extensions. */
function sensorAttributes(node: XNode, known: Record<string, AttributeReader>, prefixes: JsonLdPrefixes): JsonObject {
  const result: JsonObject = {}
  for (const attribute of node.attributes) {
    if (isXmlMachineryNamespace(attribute.uri)) continue
    if (attribute.uri !== '') {
      addRepeatable(result, jsonKey(attribute.uri, attribute.prefix, attribute.local, prefixes), attribute.value)
      continue
    }
    const reader = known[attribute.local]
    if (reader === undefined) {
      throw new XmlInputError('structure', `Unexpected attribute ${attribute.local} on <${node.local}>`, node.line)
    }
    result[attribute.local] = reader(attribute.value, `${attribute.local} on <${node.local}>`, node.line)
  }
  for (const child of node.children) {
    throw new XmlInputError('structure', `Unexpected element <${child.local}> in <${node.local}>`, child.line)
  }
  return result
}
