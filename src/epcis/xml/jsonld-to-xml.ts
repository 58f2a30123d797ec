import { XmlWriter, escapeAttribute } from './xml-writer.js'
import { JsonLdPrefixMap, XmlNaming, XmlPrefixRegistry } from './xml-names.js'
import type { JsonObject } from './json-value.js'
import { isJsonObject } from './json-value.js'
import { NS } from './namespaces.js'
import { scalarText, writeExtension, writeMembers } from './extension-to-xml.js'
import { writeEvent } from './event-to-xml.js'
import type { CbvXmlFormat } from './cbv-terms.js'

export interface QueryDocumentXmlOptions {
  /** The `@context` the events were captured with (objects mapping extension prefixes to namespaces). */
  context: unknown[] | undefined
  queryName?: string
  subscriptionID?: string
  cbvFormat?: CbvXmlFormat
  /** Defaults to now. */
  creationDate?: string
}

export interface EpcisDocumentXmlOptions {
  cbvFormat?: CbvXmlFormat
}

/**
 * Query results as an EPCIS 2.0 XML EPCISQueryDocument (EPCISBody/QueryResults/resultsBody/EventList).
 * Extension properties are written in their namespaces, declared once on the root element.
 */
export function renderQueryDocumentXml(events: readonly object[], opts: QueryDocumentXmlOptions): string {
  const naming = newNaming(opts.context, [['epcisq', NS.query2]])
  const body = new XmlWriter(1)
  body.start('EPCISBody')
  body.start('epcisq:QueryResults')
  body.leaf('queryName', opts.queryName ?? 'SimpleEventQuery')
  if (opts.subscriptionID !== undefined) body.leaf('subscriptionID', opts.subscriptionID)
  body.start('resultsBody')
  writeEventList(body, naming, events, opts.cbvFormat)
  body.end('resultsBody')
  body.end('epcisq:QueryResults')
  body.end('EPCISBody')
  return documentXml('epcisq:EPCISQueryDocument', naming, opts.creationDate ?? new Date().toISOString(), body)
}

/**
 * A JSON-LD EPCISDocument (a capture document) as EPCIS 2.0 XML: header (SBDH, master data), events,
 * body- and document-level extensions. A JSON-LD EPCISQueryDocument is rendered as its XML counterpart.
 * Header members other than the SBDH and master data have no place in the XML header and are left out.
 */
export function renderEpcisDocumentXml(document: object, opts: EpcisDocumentXmlOptions = {}): string {
  const doc = document as JsonObject
  const creationDate = scalarText(doc.creationDate)
  const body = isJsonObject(doc.epcisBody) ? doc.epcisBody : {}
  if (doc.type === 'EPCISQueryDocument') {
    const results = isJsonObject(body.queryResults) ? body.queryResults : {}
    const resultsBody = isJsonObject(results.resultsBody) ? results.resultsBody : {}
    const queryOptions: QueryDocumentXmlOptions = {
      context: contextList(doc['@context']),
      queryName: scalarText(results.queryName),
      creationDate,
      ...(opts.cbvFormat === undefined ? {} : { cbvFormat: opts.cbvFormat }),
      ...(typeof results.subscriptionID === 'string' ? { subscriptionID: results.subscriptionID } : {}),
    }
    return renderQueryDocumentXml(Array.isArray(resultsBody.eventList) ? resultsBody.eventList.filter(isJsonObject) : [], queryOptions)
  }
  const naming = newNaming(contextList(doc['@context']), [['epcis', NS.epcis2]])
  const writer = new XmlWriter(1)
  writeHeader(writer, naming, doc)
  writer.start('EPCISBody')
  writeEventList(writer, naming, Array.isArray(body.eventList) ? body.eventList : [], opts.cbvFormat)
  for (const [key, value] of Object.entries(body)) if (key.includes(':')) writeExtension(writer, naming, key, value)
  writer.end('EPCISBody')
  for (const [key, value] of Object.entries(doc)) if (key.includes(':')) writeExtension(writer, naming, key, value)
  return documentXml('epcis:EPCISDocument', naming, creationDate, writer)
}

/**
 * Every prefix the context defines is declared on the root element, used by an element name or not:
 * CURIE values (a sensor report's `example:Abc` type, a component) need their prefix in scope.
 */
function newNaming(context: unknown, root: [string, string][]): XmlNaming {
  const registry = new XmlPrefixRegistry([...root, ['epcis', NS.epcis2], ['sbdh', NS.sbdh], ['xsi', NS.xsi]])
  const prefixes = JsonLdPrefixMap.fromContext(context)
  for (const [prefix, namespace] of prefixes.declared()) registry.prefixFor(namespace, prefix)
  return new XmlNaming(prefixes, registry)
}

function contextList(context: unknown): unknown[] | undefined {
  if (context === undefined) return undefined
  return Array.isArray(context) ? context : [context]
}

function writeEventList(writer: XmlWriter, naming: XmlNaming, events: readonly unknown[], cbvFormat: CbvXmlFormat | undefined): void {
  if (events.length === 0) {
    writer.leaf('EventList', '')
    return
  }
  writer.start('EventList')
  for (const event of events) if (isJsonObject(event)) writeEvent(writer, naming, event, cbvFormat ?? 'Always_URN')
  writer.end('EventList')
}

function documentXml(rootName: string, naming: XmlNaming, creationDate: string, content: XmlWriter): string {
  const attributes = [...naming.registry.declarations(), ['schemaVersion', '2.0'], ['creationDate', creationDate]]
  const rootAttributes = attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value as string)}"`).join('')
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName}${rootAttributes}>${content.toString()}\n</${rootName}>\n`
}

function writeHeader(writer: XmlWriter, naming: XmlNaming, doc: JsonObject): void {
  const header = isJsonObject(doc.epcisHeader) ? doc.epcisHeader : {}
  const sbdhKey = Object.keys(header).find((key) => naming.namespaceOf(key) === NS.sbdh && key.endsWith(':StandardBusinessDocumentHeader'))
  const masterData = isJsonObject(header.epcisMasterData) ? header.epcisMasterData : undefined
  const vocabularies = Array.isArray(masterData?.vocabularyList) ? masterData.vocabularyList.filter(isJsonObject) : []
  const synthesized = sbdhKey === undefined ? sbdhFromSummary(doc) : undefined
  if (sbdhKey === undefined && synthesized === undefined && vocabularies.length === 0) return
  writer.start('EPCISHeader')
  if (sbdhKey !== undefined) writeExtension(writer, naming, sbdhKey, header[sbdhKey], { unprefixed: 'attribute' })
  else if (synthesized !== undefined) writeSbdh(writer, synthesized)
  if (vocabularies.length > 0) {
    writer.start('extension')
    writer.start('EPCISMasterData')
    writeVocabularyList(writer, naming, vocabularies)
    writer.end('EPCISMasterData')
    writer.end('extension')
  }
  writer.end('EPCISHeader')
}

interface SbdhSummary {
  sender: string
  receiver: string
  instanceIdentifier: string
  creationDate: string
}

/** The JSON binding's sender / receiver / instanceIdentifier, when all present, make a minimal SBDH. */
function sbdhFromSummary(doc: JsonObject): SbdhSummary | undefined {
  const { sender, receiver, instanceIdentifier, creationDate } = doc
  if (typeof sender !== 'string' || typeof receiver !== 'string' || typeof instanceIdentifier !== 'string') return undefined
  return { sender, receiver, instanceIdentifier, creationDate: scalarText(creationDate) }
}

function writeSbdh(writer: XmlWriter, summary: SbdhSummary): void {
  writer.start('sbdh:StandardBusinessDocumentHeader')
  writer.leaf('sbdh:HeaderVersion', '1.0')
  for (const [party, identifier] of [['Sender', summary.sender], ['Receiver', summary.receiver]] as const) {
    writer.start(`sbdh:${party}`)
    writer.leaf('sbdh:Identifier', identifier)
    writer.end(`sbdh:${party}`)
  }
  writer.start('sbdh:DocumentIdentification')
  writer.leaf('sbdh:Standard', 'EPCglobal')
  writer.leaf('sbdh:TypeVersion', '2.0')
  writer.leaf('sbdh:InstanceIdentifier', summary.instanceIdentifier)
  writer.leaf('sbdh:Type', 'Events')
  writer.leaf('sbdh:CreationDateAndTime', summary.creationDate)
  writer.end('sbdh:DocumentIdentification')
  writer.end('sbdh:StandardBusinessDocumentHeader')
}

function writeVocabularyList(writer: XmlWriter, naming: XmlNaming, vocabularies: JsonObject[]): void {
  writer.start('VocabularyList')
  for (const vocabulary of vocabularies) {
    writer.start('Vocabulary', [['type', scalarText(vocabulary.type)]])
    const elements = Array.isArray(vocabulary.vocabularyElementList) ? vocabulary.vocabularyElementList.filter(isJsonObject) : []
    if (elements.length > 0) {
      writer.start('VocabularyElementList')
      for (const element of elements) writeVocabularyElement(writer, naming, element)
      writer.end('VocabularyElementList')
    }
    for (const [key, value] of Object.entries(vocabulary)) if (key.includes(':')) writeExtension(writer, naming, key, value)
    writer.end('Vocabulary')
  }
  writer.end('VocabularyList')
}

function writeVocabularyElement(writer: XmlWriter, naming: XmlNaming, element: JsonObject): void {
  writer.start('VocabularyElement', [['id', scalarText(element.id)]])
  const attributes = Array.isArray(element.attributes) ? element.attributes.filter(isJsonObject) : []
  for (const attribute of attributes) {
    const value = attribute.attribute
    const id: [string, string][] = [['id', scalarText(attribute.id)]]
    if (isJsonObject(value)) {
      writer.start('attribute', id)
      writeMembers(writer, naming, Object.entries(value))
      writer.end('attribute')
    } else {
      writer.leaf('attribute', scalarText(value), id)
    }
  }
  const children = Array.isArray(element.children) ? element.children : []
  if (children.length > 0) {
    writer.start('children')
    for (const child of children) writer.leaf('id', scalarText(child))
    writer.end('children')
  }
  for (const [key, value] of Object.entries(element)) if (key.includes(':')) writeExtension(writer, naming, key, value)
  writer.end('VocabularyElement')
}
