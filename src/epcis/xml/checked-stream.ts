import type { XmlInput } from './decode-input.js'
import { decodeXmlInput } from './decode-input.js'
import { XmlSchemaError } from './errors.js'
import { GuardedSaxParser } from './guarded-sax.js'
import type { XmlEventSink, XmlStartTag } from './guarded-sax.js'
import type { XmlLimits } from './limits.js'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './limits.js'
import { xsdForRoot } from './validate-xml.js'
import { mergeXsdResults, XsdPieceChecks } from './xsd-check.js'
import { XSD_PIECE_CHARS, XsdPieces } from './xsd-pieces.js'
import type { XsdPiece } from './xsd-pieces.js'
import type { XmlValidationResult } from './validate-xml.js'
import { XmlDocumentReader } from './xml-to-jsonld.js'
import type { XmlStreamItem } from './xml-to-jsonld.js'

/**
 * One guarded pass over an XML document that converts it and checks it against the GS1 XSD at once, so
 * that neither the text nor a tree of a large document is ever held whole. Events are yielded as their
 * elements close (as streamXmlEvents does), while the text is cut into standalone pieces that xmllint checks
 * in its worker, one piece at a time. The final item comes only once every piece passed: a document the XSD
 * refuses throws XmlSchemaError there, so whoever consumes the events must keep nothing until then.
 * EPCIS 1.x documents, for which no XSD is vendored, are checked by the converter's structural rules alone.
 */
export class CheckedXmlStream implements AsyncIterable<XmlStreamItem> {
  private checks: XsdPieceChecks | undefined
  private pieces: XsdPieces | undefined

  constructor(
    private readonly input: XmlInput,
    private readonly limits: XmlLimits = {},
    private readonly pieceChars = XSD_PIECE_CHARS,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<XmlStreamItem> {
    const reader = new XmlDocumentReader()
    let parser: GuardedSaxParser | undefined = undefined
    const pieces = new XsdPieces(() => ({ offset: parser!.position, line: parser!.line }), this.pieceChars)
    this.pieces = pieces
    let seenRoot = false
    const sink: XmlEventSink = {
      open: (tag: XmlStartTag) => {
        if (!seenRoot) {
          seenRoot = true
          const schema = xsdForRoot(tag)
          if (schema === undefined) pieces.stop()
          else this.checks = new XsdPieceChecks(schema)
        }
        pieces.open(tag)
        reader.open(tag)
      },
      text: (text) => reader.text(text),
      // The piece is cut first, so that an event the converter refuses is in the piece soFar() checks.
      close: () => {
        pieces.close()
        reader.close()
      },
    }
    parser = new GuardedSaxParser(sink, this.limits.maxDepth ?? DEFAULT_MAX_DEPTH)
    let end: XmlStreamItem | undefined
    for await (const chunk of decodeXmlInput(this.input, this.limits.maxBytes ?? DEFAULT_MAX_BYTES)) {
      pieces.append(chunk)
      parser.write(chunk)
      for (const piece of pieces.take()) await this.check(piece)
      yield* reader.take()
    }
    parser.close()
    reader.finish()
    for (const item of reader.take()) {
      if (item.kind === 'end') end = item
      else yield item
    }
    for (const piece of pieces.finish()) await this.check(piece)
    const verdict = await this.verdict()
    if (verdict !== undefined && !verdict.valid) throw new XmlSchemaError(verdict.checkedWith, verdict.errors)
    if (end !== undefined) yield end
  }

  /**
   * For a document refused for what its events hold: the XSD's errors in what was read up to the last
   * complete event, which then explain the refusal better than the converter can. Undefined when that
   * part conforms, or nothing of it can be checked on its own. The stream cannot be read on afterwards.
   */
  async schemaErrorsSoFar(): Promise<XmlSchemaError | undefined> {
    try {
      const last = this.pieces?.soFar()
      if (last !== undefined) await this.check(last)
      const verdict = await this.verdict()
      return verdict !== undefined && !verdict.valid ? new XmlSchemaError(verdict.checkedWith, verdict.errors) : undefined
    } catch (error) {
      if (error instanceof XmlSchemaError) return error
      throw error
    }
  }

  /** Checks a piece after the ones before it. A piece found invalid ends the reading: the rest cannot mend it. */
  private async check(piece: XsdPiece): Promise<void> {
    const checks = this.checks!
    const known = await checks.settle()
    if (known.some((result) => !result.valid)) {
      const verdict = mergeXsdResults(known, checks.schemaName)
      throw new XmlSchemaError(verdict.checkedWith, verdict.errors)
    }
    await checks.add(piece)
  }

  private async verdict(): Promise<XmlValidationResult | undefined> {
    if (this.checks === undefined) return undefined
    const results = await this.checks.settle()
    return results.length === 0 ? undefined : mergeXsdResults(results, this.checks.schemaName)
  }
}
