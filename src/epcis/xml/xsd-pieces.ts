import type { XmlEventSink, XmlStartTag } from './guarded-sax.js'

/** A document for the XSD: all of a small document, or a piece of a large one standing as a document of its own. */
export interface XsdPiece {
  /** The text in parts, as read: joining them would copy a large piece once more. */
  parts: string[]
  /** The line of the whole document that a line of this piece comes from. */
  documentLine(line: number): number
}

/**
 * Text per piece: each piece costs one xmllint run (a fresh instance in the shared worker, the XSD read again),
 * whose memory is a few times the piece, and is held as text until it is cut. 2 MiB costs no more CPU than 16 MiB
 * for a 50 MiB document and holds about 100 MiB less at its peak.
 */
export const XSD_PIECE_CHARS = 2 * 1024 * 1024

interface EventListFrame {
  /** Depth of <EventList>: 3 in an EPCISDocument, 5 in an EPCISQueryDocument's resultsBody. */
  depth: number
  /** The document up to and including the <EventList> start tag (root, header, namespaces and all). */
  prefix: string[]
  /** The line the prefix ends on. */
  prefixLine: number
  /** Closing tags of <EventList> and its ancestors, for the pieces before the last. */
  closing: string
}

/**
 * Cuts a large EPCIS 2.0 document, while the guarded parser reads it, into documents the XSD can check
 * one at a time: each piece is the document's own start (up to the <EventList> start tag) with a run of
 * its events, then closing tags, or for the last piece the document's real end. EventList is a repeated
 * choice of events, so the pieces are valid exactly when the whole document is; only the header, repeated
 * in every piece, may report the same error more than once. Feed every decoded chunk to `append` before
 * the parser reads it; `position` gives the parser's offset and line inside an event handler.
 */
export class XsdPieces implements XmlEventSink {
  private held: string[] = []
  private heldFrom = 0
  private readonly openNames: string[] = []
  private eventList: EventListFrame | undefined
  private pieceFrom = 0
  private pieceLine = 1
  private cut = false
  private stopped = false
  private queue: XsdPiece[] = []
  /** Where the last event read ended, for a piece cut early (soFar). */
  private lastEventEnd: { offset: number; line: number } | undefined

  constructor(
    private readonly position: () => { offset: number; line: number },
    private readonly pieceChars = XSD_PIECE_CHARS,
  ) {}

  /** Keeps nothing more: the document is not one the XSD checks. */
  stop(): void {
    this.stopped = true
    this.held = []
  }

  append(chunk: string): void {
    if (!this.stopped) this.held.push(chunk)
  }

  open(tag: XmlStartTag): void {
    this.openNames.push(tag.prefix === '' ? tag.local : `${tag.prefix}:${tag.local}`)
    const depth = this.openNames.length
    if (this.eventList !== undefined || tag.local !== 'EventList' || tag.uri !== '' || (depth !== 3 && depth !== 5)) return
    const { offset, line } = this.position()
    const closing = [...this.openNames].reverse().map((name) => `</${name}>`).join('')
    this.eventList = { depth, prefix: this.takeUntil(offset), prefixLine: line, closing }
    this.pieceFrom = offset
    this.pieceLine = line
  }

  text(): void {}

  close(): void {
    const depth = this.openNames.length
    this.openNames.pop()
    const eventList = this.eventList
    if (this.stopped || eventList === undefined || depth !== eventList.depth + 1) return
    const { offset, line } = this.position()
    this.lastEventEnd = { offset, line }
    if (offset - this.pieceFrom < this.pieceChars) return
    this.queue.push(this.piece(eventList, [...this.takeUntil(offset), eventList.closing]))
    this.cut = true
    this.pieceFrom = offset
    this.pieceLine = line
  }

  /** Pieces completed since the last call. */
  take(): XsdPiece[] {
    const pieces = this.queue
    this.queue = []
    return pieces
  }

  /** After the whole document was read: the last piece (or the whole document when it was never cut). */
  finish(): XsdPiece[] {
    if (!this.stopped) {
      const rest = this.held
      this.held = []
      const eventList = this.eventList
      if (eventList === undefined) this.queue.push({ parts: rest, documentLine: (line) => line })
      else if (this.cut) this.queue.push(this.piece(eventList, rest))
      else this.queue.push({ parts: [...eventList.prefix, ...rest], documentLine: (line) => line })
    }
    return this.take()
  }

  /**
   * A last piece of the events read so far, up to the end of the last complete event, for a document that
   * is being refused: the XSD's errors in the part read then come before the reason it was refused for.
   * Undefined when no event is complete yet or the document is not one the XSD checks.
   */
  soFar(): XsdPiece | undefined {
    const eventList = this.eventList
    const end = this.lastEventEnd
    if (this.stopped || eventList === undefined || end === undefined || end.offset <= this.pieceFrom) return undefined
    const piece = this.piece(eventList, [...this.takeUntil(end.offset), eventList.closing])
    this.stopped = true
    this.held = []
    return piece
  }

  private piece(eventList: EventListFrame, events: string[]): XsdPiece {
    const { prefixLine } = eventList
    const firstLine = this.pieceLine
    return {
      parts: [...eventList.prefix, ...events],
      documentLine: (line) => (line < prefixLine ? line : line - prefixLine + firstLine),
    }
  }

  /** The held text up to `offset`, keeping the rest. */
  private takeUntil(offset: number): string[] {
    const taken: string[] = []
    let from = this.heldFrom
    while (this.held.length > 0) {
      const chunk = this.held[0]!
      if (from + chunk.length <= offset) {
        taken.push(chunk)
        this.held.shift()
        from += chunk.length
        continue
      }
      if (offset > from) {
        taken.push(chunk.slice(0, offset - from))
        this.held[0] = chunk.slice(offset - from)
      }
      break
    }
    this.heldFrom = offset
    return taken
  }
}
