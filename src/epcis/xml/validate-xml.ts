import { readFileSync, readdirSync } from 'node:fs'
import { memoryPages, validateXML } from 'xmllint-wasm'
import { XmlInputError } from './errors.js'
import type { XmlLimits } from './limits.js'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './limits.js'
import { decodeXmlInput } from './decode-input.js'
import { GuardedSaxParser } from './guarded-sax.js'
import type { XmlStartTag } from './guarded-sax.js'
import { NS } from './namespaces.js'
import { streamXmlEvents } from './xml-to-jsonld.js'

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

const xsdFolder = new URL('../../../schemas/gs1/xsd/', import.meta.url)
/** Every vendored XSD, read once: the main schema is passed first, the ones it imports/includes as preloads. */
const xsdFiles = readdirSync(xsdFolder)
  .filter((name) => name.endsWith('.xsd'))
  .map((name) => ({ fileName: name, contents: readFileSync(new URL(name, xsdFolder), 'utf8') }))

const SCHEMA_BY_ROOT: Record<string, string> = {
  [`${NS.epcis2} EPCISDocument`]: 'EPCglobal-epcis-2_0.xsd',
  [`${NS.epcis2} EPCISCaptureJob`]: 'EPCglobal-epcis-2_0.xsd',
  [`${NS.masterData2} EPCISMasterDataDocument`]: 'EPCglobal-epcis-masterdata-2_0.xsd',
  [`${NS.query2} EPCISQueryDocument`]: 'EPCglobal-epcis-query-2_0.xsd',
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
export async function validateXml(xml: string | Uint8Array, limits: XmlLimits = {}): Promise<XmlValidationResult> {
  const [result] = await validateXmlDocuments([xml], limits)
  return result as XmlValidationResult
}

/**
 * validateXml for several documents at once: one xmllint run per schema instead of one per document
 * (each run starts a worker and compiles the WebAssembly module, which dominates for small documents).
 */
export async function validateXmlDocuments(inputs: ReadonlyArray<string | Uint8Array>, limits: XmlLimits = {}): Promise<XmlValidationResult[]> {
  const results: (XmlValidationResult | undefined)[] = []
  const bySchema = new Map<string, { index: number; text: string | Uint8Array }[]>()
  for (const [index, input] of inputs.entries()) {
    const prepared = await prepare(input, limits)
    if ('valid' in prepared) {
      results[index] = prepared
    } else {
      results[index] = undefined
      bySchema.set(prepared.schema, [...(bySchema.get(prepared.schema) ?? []), { index, text: prepared.text }])
    }
  }
  for (const [schema, documents] of bySchema) {
    const checked = await xsdCheck(documents.map((document) => document.text), schema)
    for (const [position, document] of documents.entries()) results[document.index] = checked[position]
  }
  return results as XmlValidationResult[]
}

/** A result already (malformed, not EPCIS 2.0, EPCIS 1.x), or the decoded text and the XSD to check it against. */
async function prepare(xml: string | Uint8Array, limits: XmlLimits): Promise<XmlValidationResult | { text: string | Uint8Array; schema: string }> {
  let root: XmlStartTag | undefined
  let text: string | Uint8Array
  try {
    text = await scanSafely(xml, limits, (tag) => (root ??= tag))
  } catch (error) {
    if (error instanceof XmlInputError && error.kind === 'malformed') {
      return { valid: false, errors: [{ line: error.line, message: error.reason }], checkedWith: 'XML well-formedness' }
    }
    throw error
  }
  if (root === undefined) return { valid: false, errors: [{ message: 'The document has no root element' }], checkedWith: 'XML well-formedness' }
  if (EPCIS_1_NAMESPACES.has(root.uri)) return structuralCheck(xml, limits)
  const schema = SCHEMA_BY_ROOT[`${root.uri} ${root.local}`]
  if (schema === undefined) {
    const where = root.uri === '' ? 'no namespace' : `namespace ${root.uri}`
    return {
      valid: false,
      errors: [{ line: root.line, message: `The root element <${root.local}> in ${where} is not an EPCIS 2.0 document` }],
      checkedWith: 'EPCIS root element',
    }
  }
  return { text, schema }
}

async function xsdCheck(texts: Array<string | Uint8Array>, schemaName: string): Promise<XmlValidationResult[]> {
  // xmllint reads UTF-8 only; decoded texts drop any other declared encoding (UTF-8 bytes pass as they are).
  const files = texts.map((text, index) => ({
    fileName: `document-${index}.xml`,
    contents: typeof text === 'string' ? text.replace(/^(\s*<\?xml[^>]*?\s)encoding\s*=\s*["'][^"']*["']/, '$1encoding="UTF-8"') : text,
  }))
  const bytes = files.reduce((total, file) => total + (typeof file.contents === 'string' ? Buffer.byteLength(file.contents, 'utf8') : file.contents.byteLength), 0)
  // Streaming validation (xmllint --stream) holds the documents' bytes, not a tree of them.
  const neededPages = Math.ceil((bytes * 3) / (64 * 1024))
  const result = await validateXML({
    xml: files,
    stream: true,
    schema: xsdFiles.filter((file) => file.fileName === schemaName),
    preload: xsdFiles.filter((file) => file.fileName !== schemaName),
    initialMemoryPages: memoryPages.defaultInitialMemoryPages,
    maxMemoryPages: Math.min(memoryPages.max, Math.max(memoryPages.defaultMaxMemoryPages, neededPages + 32 * memoryPages.MiB)),
  })
  const output = result.rawOutput
  return files.map((file) => {
    const errors: XmlValidationError[] = result.errors
      .filter((error) => error.loc?.fileName === file.fileName)
      .map((error) => {
        const message = error.message.replace(/^Schemas validity error\s*:\s*/, '')
        return error.loc ? { line: error.loc.lineNumber, message } : { message }
      })
    const failed = output.includes(`${file.fileName} fails to validate`) || errors.length > 0
    if (failed && errors.length === 0) errors.push({ message: 'The document does not validate against the XSD' })
    return { valid: !failed, errors, checkedWith: schemaName }
  })
}

async function structuralCheck(text: string | Uint8Array, limits: XmlLimits): Promise<XmlValidationResult> {
  try {
    for await (const item of streamXmlEvents(text, limits)) void item
    return { valid: true, errors: [], checkedWith: EPCIS_1_STRUCTURAL_CHECK }
  } catch (error) {
    if (!(error instanceof XmlInputError) || error.kind === 'limit' || error.kind === 'depth' || error.kind === 'forbidden') throw error
    return { valid: false, errors: [{ line: error.line, message: error.reason }], checkedWith: EPCIS_1_STRUCTURAL_CHECK }
  }
}

/** One guarded pass over the whole input; returns the decoded text. */
async function scanSafely(
  xml: string | Uint8Array,
  limits: XmlLimits,
  onOpen: (tag: XmlStartTag) => void,
): Promise<string | Uint8Array> {
  // UTF-8 bytes go to xmllint as they are: no decoded copy of a large document is kept.
  const keepBytes = xml instanceof Uint8Array && isUtf8(xml)
  const chunks: string[] = []
  const parser = new GuardedSaxParser({ open: onOpen, text: () => undefined, close: () => undefined }, limits.maxDepth ?? DEFAULT_MAX_DEPTH)
  for await (const chunk of decodeXmlInput(xml, limits.maxBytes ?? DEFAULT_MAX_BYTES)) {
    if (!keepBytes) chunks.push(chunk)
    parser.write(chunk)
  }
  parser.close()
  return keepBytes ? xml : chunks.join('')
}

/** Bytes that are UTF-8 by their BOM or XML declaration (or by default). */
function isUtf8(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1')
  if (head.startsWith('\xfe\xff') || head.startsWith('\xff\xfe')) return false
  const declared = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(head.replace(/^\xef\xbb\xbf/, ''))
  return declared === null || /^utf-?8$/i.test(declared[1]!)
}
