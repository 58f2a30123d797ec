import { XmlInputError } from './errors.js'
import type { XmlLimits } from './limits.js'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './limits.js'
import { decodeXmlInput } from './decode-input.js'
import { byteChunks } from './byte-chunks.js'
import { GuardedSaxParser } from './guarded-sax.js'
import type { XmlEventSink, XmlStartTag } from './guarded-sax.js'
import { NS } from './namespaces.js'
import { streamXmlEvents } from './xml-to-jsonld.js'
import { mergeXsdResults, xsdCheck, XsdPieceChecks } from './xsd-check.js'
import { XSD_PIECE_CHARS, XsdPieces } from './xsd-pieces.js'
import type { XsdPiece } from './xsd-pieces.js'

export interface XmlValidationError {
  line?: number
  message: string
}

export interface XmlValidationResult {
  valid: boolean
  errors: XmlValidationError[]
  /** What the document was checked against: a vendored GS1 XSD, or the converter's structural rules for EPCIS 1.x. */
  checkedWith: string
}

const SCHEMA_BY_ROOT: Record<string, string> = {
  [`${NS.epcis2} EPCISDocument`]: 'EPCglobal-epcis-2_0.xsd',
  [`${NS.epcis2} EPCISCaptureJob`]: 'EPCglobal-epcis-2_0.xsd',
  [`${NS.masterData2} EPCISMasterDataDocument`]: 'EPCglobal-epcis-masterdata-2_0.xsd',
  [`${NS.query2} EPCISQueryDocument`]: 'EPCglobal-epcis-query-2_0.xsd',
}

/** The vendored XSD a document with this root element is checked against, if any (none for EPCIS 1.x). */
export function xsdForRoot(tag: Pick<XmlStartTag, 'uri' | 'local'>): string | undefined {
  return SCHEMA_BY_ROOT[`${tag.uri} ${tag.local}`]
}

const EPCIS_1_NAMESPACES: ReadonlySet<string> = new Set([NS.epcis1, NS.masterData1, NS.query1])

export const EPCIS_1_STRUCTURAL_CHECK = 'EPCIS 1.x structural rules (no EPCIS 1.x XSD is vendored)'

/**
 * Validates an EPCIS XML document against the vendored GS1 XSDs (xmllint compiled to WebAssembly).
 * The document first goes through the same guarded parser as the converter: unsafe input (DTD subsets,
 * entities, external references) and inputs over the limits are refused with an XmlInputError, not reported.
 * EPCIS 1.x documents cannot be checked against the 2.0 XSD (different namespace, `extension` wrappers) and no
 * 1.x XSD is vendored, so they are checked by running the converter, whose structural rules then give the errors.
 */
export async function validateXml(xml: string | Uint8Array, limits: XmlLimits = {}, pieceChars = XSD_PIECE_CHARS): Promise<XmlValidationResult> {
  const [result] = await validateXmlDocuments([xml], limits, pieceChars)
  return result as XmlValidationResult
}

/**
 * validateXml for several documents at once: one xmllint run per schema instead of one per document
 * (each run starts a worker and compiles the WebAssembly module, which dominates for small documents).
 * A document longer than `pieceChars` is checked in pieces of about that length (see XsdPieces).
 */
export async function validateXmlDocuments(
  inputs: ReadonlyArray<string | Uint8Array>,
  limits: XmlLimits = {},
  pieceChars = XSD_PIECE_CHARS,
): Promise<XmlValidationResult[]> {
  const results: (XmlValidationResult | undefined)[] = []
  const bySchema = new Map<string, { index: number; piece: XsdPiece }[]>()
  for (const [index, input] of inputs.entries()) {
    const prepared = await prepare(input, limits, pieceChars)
    if ('valid' in prepared) {
      results[index] = prepared
    } else {
      results[index] = undefined
      bySchema.set(prepared.schema, [...(bySchema.get(prepared.schema) ?? []), { index, piece: prepared.piece }])
    }
  }
  for (const [schema, documents] of bySchema) {
    const checked = await xsdCheck(documents.map((document) => document.piece), schema)
    for (const [position, document] of documents.entries()) results[document.index] = checked[position]
  }
  return results as XmlValidationResult[]
}

/** A result already (malformed, not EPCIS 2.0, EPCIS 1.x, checked in pieces), or the whole document to check against an XSD. */
async function prepare(xml: string | Uint8Array, limits: XmlLimits, pieceChars: number): Promise<XmlValidationResult | { piece: XsdPiece; schema: string }> {
  let root: XmlStartTag | undefined
  let schema: string | undefined
  let scanned: { pieces: XsdPiece[]; checked: XmlValidationResult[] }
  try {
    scanned = await scanInPieces(xml, limits, pieceChars, (tag) => {
      root = tag
      schema = xsdForRoot(tag)
      return schema
    })
  } catch (error) {
    if (error instanceof XmlInputError && error.kind === 'malformed') {
      return { valid: false, errors: [{ line: error.line, message: error.reason }], checkedWith: 'XML well-formedness' }
    }
    throw error
  }
  if (root === undefined) return { valid: false, errors: [{ message: 'The document has no root element' }], checkedWith: 'XML well-formedness' }
  if (EPCIS_1_NAMESPACES.has(root.uri)) return structuralCheck(xml, limits)
  if (schema === undefined) {
    const where = root.uri === '' ? 'no namespace' : `namespace ${root.uri}`
    return {
      valid: false,
      errors: [{ line: root.line, message: `The root element <${root.local}> in ${where} is not an EPCIS 2.0 document` }],
      checkedWith: 'EPCIS root element',
    }
  }
  const { pieces, checked } = scanned
  if (checked.length === 0 && pieces.length === 1) return { piece: pieces[0]!, schema }
  return mergeXsdResults([...checked, ...(await xsdCheck(pieces, schema))], schema)
}

async function structuralCheck(text: string | Uint8Array, limits: XmlLimits): Promise<XmlValidationResult> {
  try {
    for await (const item of streamXmlEvents(typeof text === 'string' ? text : byteChunks(text), limits)) void item
    return { valid: true, errors: [], checkedWith: EPCIS_1_STRUCTURAL_CHECK }
  } catch (error) {
    if (!(error instanceof XmlInputError) || error.kind === 'limit' || error.kind === 'depth' || error.kind === 'forbidden') throw error
    return { valid: false, errors: [{ line: error.line, message: error.reason }], checkedWith: EPCIS_1_STRUCTURAL_CHECK }
  }
}

/**
 * One guarded pass over the whole input. A large EPCIS 2.0 document is cut into pieces as it is read,
 * and each piece is checked against the XSD (in xmllint's worker) while the next one is read; one piece
 * at most waits. Returns the results of the pieces checked so far and the pieces left to check: the
 * whole document when it was small. `onRoot` names the XSD for the root element, if there is one.
 */
async function scanInPieces(
  xml: string | Uint8Array,
  limits: XmlLimits,
  pieceChars: number,
  onRoot: (tag: XmlStartTag) => string | undefined,
): Promise<{ pieces: XsdPiece[]; checked: XmlValidationResult[] }> {
  let parser: GuardedSaxParser | undefined = undefined
  const pieces = new XsdPieces(() => ({ offset: parser!.position, line: parser!.line }), pieceChars)
  let checks: XsdPieceChecks | undefined
  let seenRoot = false
  const sink: XmlEventSink = {
    open: (tag) => {
      if (!seenRoot) {
        seenRoot = true
        const schema = onRoot(tag)
        if (schema === undefined) pieces.stop()
        else checks = new XsdPieceChecks(schema)
      }
      pieces.open(tag)
    },
    text: () => undefined,
    close: () => pieces.close(),
  }
  parser = new GuardedSaxParser(sink, limits.maxDepth ?? DEFAULT_MAX_DEPTH)
  const input = typeof xml === 'string' ? xml : byteChunks(xml)
  for await (const chunk of decodeXmlInput(input, limits.maxBytes ?? DEFAULT_MAX_BYTES)) {
    pieces.append(chunk)
    parser.write(chunk)
    for (const piece of pieces.take()) await checks!.add(piece)
  }
  parser.close()
  const checked = checks ? [...(await checks.settle())] : []
  return { pieces: pieces.finish(), checked }
}
