import { XmlInputError } from './errors.js'
import type { XmlLimits } from './limits.js'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './limits.js'
import type { XmlInput } from './decode-input.js'
import { decodeXmlInput } from './decode-input.js'
import { GuardedSaxParser } from './guarded-sax.js'
import type { XmlEventSink, XmlStartTag } from './guarded-sax.js'
import type { XNode } from './xml-node.js'
import { SubtreeBuilder, simpleText } from './xml-node.js'
import { JsonLdPrefixes } from './jsonld-prefixes.js'
import type { JsonObject, JsonValue } from './json-value.js'
import { addRepeatable } from './json-value.js'
import { NS, isEpcisNamespace, isXmlMachineryNamespace } from './namespaces.js'
import { extensionValue, jsonKey } from './extension-from-xml.js'
import { eventFromXml } from './event-from-xml.js'
import { headerFromXml, vocabularyListFromXml } from './header-from-xml.js'
import type { HeaderParts } from './header-from-xml.js'
import { GS1_EPCIS_CONTEXT_URL } from './gs1-context.js'

export type XmlStreamItem =
  /** Everything known before the first event: the document without its events. Emitted once, first. */
  | { kind: 'header'; document: JsonObject }
  /**
   * One event, converted as soon as its element closes, with the `@context` known so far: the final one
   * only adds prefixes to it, so the event means the same under both. The array is the same object from
   * one event to the next until a new prefix appears.
   */
  | { kind: 'event'; event: JsonObject; index: number; context: JsonValue[] }
  /** The document without its events, now with the complete `@context` and any data that followed the events. */
  | { kind: 'end'; document: JsonObject; eventCount: number }

type RootKind = 'EPCISDocument' | 'EPCISQueryDocument' | 'EPCISMasterDataDocument'

type Frame =
  | 'document'
  | 'body'
  | 'masterDataBody'
  | 'queryBody'
  | 'queryResults'
  | 'resultsBody'
  | 'eventList'
  | 'eventListExtension'
  | 'collecting'

type Purpose =
  | 'header'
  | 'event'
  | 'vocabularyList'
  | 'queryName'
  | 'subscriptionID'
  | 'documentExtension'
  | 'bodyExtension'
  | 'queryResultsExtension'
  | 'ignore'

type Route = { frame: Exclude<Frame, 'collecting'> } | { collect: Purpose }

/**
 * Reads an EPCIS XML document (EPCISDocument, EPCISQueryDocument with QueryResults, EPCISMasterDataDocument;
 * EPCIS 2.0 or 1.x) as a stream: only one event subtree is in memory at a time, so a 50 MB capture document
 * costs the memory of its largest event. Yields the header, then each event as JSON-LD, then the final shell.
 * Refusals (unsafe or malformed XML, limits, structure) are XmlInputError.
 */
export async function* streamXmlEvents(input: XmlInput, limits: XmlLimits = {}): AsyncGenerator<XmlStreamItem> {
  const reader = new XmlDocumentReader()
  const parser = new GuardedSaxParser(reader, limits.maxDepth ?? DEFAULT_MAX_DEPTH)
  for await (const chunk of decodeXmlInput(input, limits.maxBytes ?? DEFAULT_MAX_BYTES)) {
    parser.write(chunk)
    yield* reader.take()
  }
  parser.close()
  reader.finish()
  yield* reader.take()
}

/** The whole document as the EPCIS 2.0 JSON-LD document a JSON client would have sent. */
export async function xmlToEpcisDocument(input: XmlInput, limits: XmlLimits = {}): Promise<JsonObject> {
  const events: JsonObject[] = []
  for await (const item of streamXmlEvents(input, limits)) {
    if (item.kind === 'event') events.push(item.event)
    if (item.kind === 'end') {
      eventListOf(item.document).push(...events)
      return item.document
    }
  }
  throw new XmlInputError('structure', 'The XML document ended unexpectedly')
}

/** The eventList array inside a document shell (EPCISDocument or EPCISQueryDocument). */
export function eventListOf(document: JsonObject): JsonObject[] {
  const body = document.epcisBody as JsonObject
  const holder = document.type === 'EPCISQueryDocument' ? ((body.queryResults as JsonObject).resultsBody as JsonObject) : body
  return holder.eventList as JsonObject[]
}

/**
 * The converter as a parser sink: fed a guarded parser's events, it queues the stream items (take()), one
 * per event as its element closes. finish() after the parser's close() queues the final document.
 */
export class XmlDocumentReader implements XmlEventSink {
  private readonly prefixes = new JsonLdPrefixes()
  private readonly frames: Frame[] = []
  private readonly collector = new SubtreeBuilder()
  private purpose: Purpose = 'ignore'
  private root: RootKind | undefined
  private readonly top: JsonObject = {}
  private header: HeaderParts | undefined
  private readonly vocabularies: JsonObject[] = []
  private readonly documentExtensions: JsonObject = {}
  private readonly bodyExtensions: JsonObject = {}
  private readonly queryResults: JsonObject = {}
  private queue: XmlStreamItem[] = []
  private headerSent = false
  private eventCount = 0
  private ended = false
  private context: JsonValue[] = []
  private contextPrefixes = -1

  take(): XmlStreamItem[] {
    const items = this.queue
    this.queue = []
    return items
  }

  open(tag: XmlStartTag): void {
    if (this.collector.active) {
      this.collector.open(tag)
      return
    }
    const parent = this.frames.at(-1)
    if (parent === undefined) {
      this.openRoot(tag)
      this.frames.push('document')
      return
    }
    const route = this.route(parent, tag)
    if ('collect' in route) {
      this.purpose = route.collect
      this.collector.start(tag)
      this.frames.push('collecting')
    } else {
      this.frames.push(route.frame)
    }
  }

  text(text: string): void {
    if (this.collector.active) this.collector.text(text)
  }

  close(): void {
    if (this.collector.active) {
      const done = this.collector.close()
      if (done === undefined) return
      this.frames.pop()
      this.collected(done)
      return
    }
    this.frames.pop()
    if (this.frames.length === 0) this.ended = true
  }

  finish(): void {
    if (!this.ended || this.root === undefined) throw new XmlInputError('structure', 'The XML document has no complete root element')
    this.sendHeader()
    this.queue.push({ kind: 'end', document: this.shell(), eventCount: this.eventCount })
  }

  private openRoot(tag: XmlStartTag): void {
    const kind = rootKind(tag)
    this.root = kind
    const schemaVersion = rootAttribute(tag, 'schemaVersion')
    if (schemaVersion !== undefined && !/^\s*[12](\.\d+)?\s*$/.test(schemaVersion)) {
      throw new XmlInputError('unsupported', `schemaVersion "${schemaVersion}" is not an EPCIS 1.x or 2.0 version`, tag.line)
    }
    const creationDate = rootAttribute(tag, 'creationDate')
    if (creationDate === undefined) throw new XmlInputError('structure', `<${tag.local}> has no creationDate attribute`, tag.line)
    this.top.creationDate = creationDate.trim()
    for (const attribute of tag.attributes) {
      if (attribute.uri === '' || isXmlMachineryNamespace(attribute.uri) || isEpcisNamespace(attribute.uri)) continue
      addRepeatable(this.documentExtensions, jsonKey(attribute.uri, attribute.prefix, attribute.local, this.prefixes), attribute.value)
    }
    // Extension namespaces declared on the root stay in scope for CURIE values (a sensor report's
    // type "example:Abc", a component) even when no element is named in them.
    for (const [prefix, namespace] of Object.entries(tag.declarations)) {
      if (prefix === '' || isXmlMachineryNamespace(namespace) || isEpcisNamespace(namespace) || namespace === NS.sbdh) continue
      this.prefixes.prefixFor(namespace, prefix)
    }
  }

  /** [GS1 context, one entry per extension prefix met so far], built again only when a prefix is added. */
  private contextSoFar(): JsonValue[] {
    if (this.contextPrefixes !== this.prefixes.count) {
      this.contextPrefixes = this.prefixes.count
      this.context = [GS1_EPCIS_CONTEXT_URL, ...this.prefixes.contextEntries()]
    }
    return this.context
  }

  private route(parent: Frame, tag: XmlStartTag): Route {
    const epcis = isEpcisNamespace(tag.uri)
    const name = epcis ? tag.local : undefined
    switch (parent) {
      case 'document':
        if (name === 'EPCISHeader') return { collect: 'header' }
        if (name === 'EPCISBody') {
          if (this.root === 'EPCISQueryDocument') return { frame: 'queryBody' }
          return { frame: this.root === 'EPCISMasterDataDocument' ? 'masterDataBody' : 'body' }
        }
        if (name === 'extension') return { collect: 'ignore' }
        if (!epcis) return { collect: 'documentExtension' }
        break
      case 'body':
        if (name === 'EventList') return { frame: 'eventList' }
        if (name === 'extension') return { collect: 'ignore' }
        if (!epcis) return { collect: 'bodyExtension' }
        break
      case 'masterDataBody':
        if (name === 'VocabularyList') return { collect: 'vocabularyList' }
        if (name === 'extension') return { collect: 'ignore' }
        if (!epcis) return { collect: 'documentExtension' }
        break
      case 'queryBody':
        if (name === 'QueryResults') return { frame: 'queryResults' }
        throw new XmlInputError(
          'unsupported',
          `This EPCISQueryDocument carries <${tag.local}>; only QueryResults documents can be converted`,
          tag.line,
        )
      case 'queryResults':
        if (name === 'queryName') return { collect: 'queryName' }
        if (name === 'subscriptionID') return { collect: 'subscriptionID' }
        if (name === 'resultsBody') return { frame: 'resultsBody' }
        if (name === 'extension') return { collect: 'ignore' }
        if (!epcis) return { collect: 'queryResultsExtension' }
        break
      case 'resultsBody':
        if (name === 'EventList') return { frame: 'eventList' }
        if (name === 'VocabularyList') return { collect: 'vocabularyList' }
        break
      case 'eventList':
        // EPCIS 1.x keeps TransformationEvent (and later additions) inside EventList/extension.
        if (name === 'extension') return { frame: 'eventListExtension' }
        return { collect: 'event' }
      case 'eventListExtension':
        if (name === 'extension') return { frame: 'eventListExtension' }
        return { collect: 'event' }
      case 'collecting':
        break
    }
    throw new XmlInputError('structure', `Unexpected element <${tag.local}> in ${describe(parent)}`, tag.line)
  }

  private collected(node: XNode): void {
    switch (this.purpose) {
      case 'header':
        this.header = headerFromXml(node, this.prefixes)
        break
      case 'event':
        this.sendHeader()
        this.queue.push({ kind: 'event', event: eventFromXml(node, this.prefixes), index: this.eventCount, context: this.contextSoFar() })
        this.eventCount += 1
        break
      case 'vocabularyList':
        this.vocabularies.push(...vocabularyListFromXml(node, this.prefixes))
        break
      case 'queryName':
      case 'subscriptionID':
        this.queryResults[this.purpose] = simpleText(node)
        break
      case 'documentExtension':
        addRepeatable(this.documentExtensions, jsonKey(node.uri, node.prefix, node.local, this.prefixes), extensionValue(node, this.prefixes))
        break
      case 'bodyExtension':
        addRepeatable(this.bodyExtensions, jsonKey(node.uri, node.prefix, node.local, this.prefixes), extensionValue(node, this.prefixes))
        break
      case 'queryResultsExtension':
        addRepeatable(this.queryResults, jsonKey(node.uri, node.prefix, node.local, this.prefixes), extensionValue(node, this.prefixes))
        break
      case 'ignore':
        break
    }
  }

  private sendHeader(): void {
    if (this.headerSent) return
    this.headerSent = true
    if (this.root === 'EPCISQueryDocument' && this.queryResults.queryName === undefined) {
      throw new XmlInputError('structure', '<QueryResults> has no <queryName> before its results')
    }
    this.queue.push({ kind: 'header', document: this.shell() })
  }

  /** The document as known now, with an empty eventList. */
  private shell(): JsonObject {
    const context = [...this.contextSoFar()]
    if (this.root === 'EPCISQueryDocument') {
      // The JSON binding's EPCISQueryDocument has no header, sender or receiver.
      const { queryName, subscriptionID, ...extensions } = this.queryResults
      const resultsBody: JsonObject = { eventList: [] }
      if (this.vocabularies.length > 0) resultsBody.vocabularyList = [...this.vocabularies]
      const queryResults: JsonObject = { queryName: queryName ?? '' }
      if (subscriptionID !== undefined) queryResults.subscriptionID = subscriptionID
      Object.assign(queryResults, { resultsBody }, extensions)
      return {
        '@context': context,
        type: 'EPCISQueryDocument',
        schemaVersion: '2.0',
        creationDate: this.top.creationDate ?? '',
        epcisBody: { queryResults },
        ...this.documentExtensions,
      }
    }
    const document: JsonObject = {
      '@context': context,
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: this.top.creationDate ?? '',
    }
    const header = this.header
    if (header?.sender !== undefined) document.sender = header.sender
    if (header?.receiver !== undefined) document.receiver = header.receiver
    if (header?.instanceIdentifier !== undefined) document.instanceIdentifier = header.instanceIdentifier
    const epcisHeader: JsonObject = { ...(header?.epcisHeader ?? {}) }
    if (this.vocabularies.length > 0) {
      const fromHeader = ((epcisHeader.epcisMasterData as JsonObject | undefined)?.vocabularyList as JsonObject[] | undefined) ?? []
      epcisHeader.epcisMasterData = { vocabularyList: [...fromHeader, ...this.vocabularies] }
    }
    if (Object.keys(epcisHeader).length > 0) document.epcisHeader = epcisHeader
    document.epcisBody = { eventList: [], ...this.bodyExtensions }
    Object.assign(document, this.documentExtensions)
    return document
  }
}

function rootKind(tag: XmlStartTag): RootKind {
  const { local, uri } = tag
  if (local === 'EPCISDocument' && (uri === NS.epcis2 || uri === NS.epcis1)) return local
  if (local === 'EPCISQueryDocument' && (uri === NS.query2 || uri === NS.query1)) return local
  if (local === 'EPCISMasterDataDocument' && (uri === NS.masterData2 || uri === NS.masterData1)) return local
  if (local === 'EPCISCaptureJob') {
    throw new XmlInputError('unsupported', 'An EPCISCaptureJob is a capture job status report, not an EPCIS document', tag.line)
  }
  const where = uri === '' ? 'no namespace' : `namespace ${uri}`
  throw new XmlInputError('structure', `The root element <${local}> in ${where} is not an EPCIS document`, tag.line)
}

function rootAttribute(tag: XmlStartTag, local: string): string | undefined {
  return tag.attributes.find((attribute) => attribute.uri === '' && attribute.local === local)?.value
}

function describe(frame: Frame): string {
  const names: Record<Frame, string> = {
    document: 'the document element',
    body: '<EPCISBody>',
    masterDataBody: '<EPCISBody>',
    queryBody: '<EPCISBody>',
    queryResults: '<QueryResults>',
    resultsBody: '<resultsBody>',
    eventList: '<EventList>',
    eventListExtension: '<EventList><extension>',
    collecting: 'an element',
  }
  return names[frame]
}
