import { SaxesParser } from 'saxes'
import type { SaxesTagNS } from 'saxes'
import { XmlInputError } from './errors.js'

const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/'

/**
 * Longest text of one element (text and CDATA together) or attribute value, in UTF-8 bytes. libxml2, which
 * checks the XSD, refuses more than 10,000,000 ("huge text node") with what reads as an internal error.
 */
export const MAX_XML_TEXT_BYTES = 8 * 1024 * 1024

function bytesOver(text: string, limit: number): boolean {
  return text.length > limit / 3 && Buffer.byteLength(text, 'utf8') > limit
}

export interface XmlAttribute {
  uri: string
  prefix: string
  local: string
  value: string
}

export interface XmlStartTag {
  uri: string
  prefix: string
  local: string
  /** Attributes, without namespace declarations. */
  attributes: XmlAttribute[]
  /** Namespace declarations made on this element (prefix '' is the default namespace). */
  declarations: Record<string, string>
  line: number
}

export interface XmlEventSink {
  open(tag: XmlStartTag): void
  text(text: string): void
  close(): void
}

/**
 * saxes with the safety rules of this service: no DTD processing (a bare `<!DOCTYPE name>` is ignored,
 * anything more is refused), only the predefined entities and character references, bounded depth.
 * saxes never expands entities or fetches anything, so the rules are enforced by refusing, not by configuring.
 * Every refusal is an XmlInputError thrown out of write()/close().
 */
export class GuardedSaxParser {
  private readonly parser = new SaxesParser({ xmlns: true, position: true })
  private depth = 0
  /** UTF-8 bytes of the current element's text so far. */
  private textBytes = 0

  constructor(sink: XmlEventSink, maxDepth: number) {
    const parser = this.parser
    parser.on('error', (err) => {
      const message = err.message.replace(/^[^:]*:\d+:\d+: /, '')
      if (/undefined entity/.test(message)) {
        throw new XmlInputError('forbidden', 'The document uses an entity reference other than the five predefined XML entities', parser.line)
      }
      throw new XmlInputError('malformed', `The document is not well-formed XML: ${message}`, parser.line)
    })
    parser.on('doctype', (doctype) => {
      if (doctype.includes('[')) {
        throw new XmlInputError('forbidden', 'DOCTYPE declarations with an internal subset (DTD, ENTITY declarations) are not accepted', parser.line)
      }
      if (/\b(SYSTEM|PUBLIC)\b/.test(doctype)) {
        throw new XmlInputError('forbidden', 'DOCTYPE declarations that reference an external DTD are not accepted', parser.line)
      }
    })
    parser.on('opentag', (tag: SaxesTagNS) => {
      this.depth += 1
      if (this.depth > maxDepth) {
        throw new XmlInputError('depth', `The document nests elements deeper than ${maxDepth} levels`, parser.line)
      }
      for (const name in tag.attributes) {
        if (bytesOver(tag.attributes[name]!.value, MAX_XML_TEXT_BYTES)) {
          throw new XmlInputError('limit', `An attribute value is longer than ${MAX_XML_TEXT_BYTES} bytes`, parser.line)
        }
      }
      this.resetText()
      sink.open(startTag(tag, parser.line))
    })
    parser.on('closetag', () => {
      this.depth -= 1
      this.resetText()
      sink.close()
    })
    const onText = (text: string) => {
      this.countText(text)
      sink.text(text)
    }
    parser.on('text', onText)
    parser.on('cdata', onText)
  }

  private resetText(): void {
    this.textBytes = 0
  }

  private countText(text: string): void {
    this.textBytes += Buffer.byteLength(text, 'utf8')
    if (this.textBytes > MAX_XML_TEXT_BYTES) {
      throw new XmlInputError('limit', `The text of an element is longer than ${MAX_XML_TEXT_BYTES} bytes`, this.parser.line)
    }
  }

  write(chunk: string): void {
    this.parser.write(chunk)
  }

  /** Characters (UTF-16 code units) read so far over all chunks: inside an event handler, just past the tag. */
  get position(): number {
    return this.parser.position
  }

  /** The current line, counted as XML counts them (CR LF is one line break). */
  get line(): number {
    return this.parser.line
  }

  close(): void {
    this.parser.close()
  }
}

function startTag(tag: SaxesTagNS, line: number): XmlStartTag {
  const attributes: XmlAttribute[] = []
  for (const name in tag.attributes) {
    const attribute = tag.attributes[name]!
    if (attribute.uri === XMLNS_NAMESPACE) continue
    attributes.push({ uri: attribute.uri, prefix: attribute.prefix, local: attribute.local, value: attribute.value })
  }
  // saxes gives each tag an object of its own declarations and never changes it afterwards: no copy is needed.
  return { uri: tag.uri, prefix: tag.prefix, local: tag.local, attributes, declarations: tag.ns ?? {}, line }
}
