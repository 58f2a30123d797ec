import { readFileSync, readdirSync } from 'node:fs'
import { memoryPages } from 'xmllint-wasm'
import { runXmllint } from './xmllint-worker.js'
import type { XmlValidationError, XmlValidationResult } from './validate-xml.js'
import type { XsdPiece } from './xsd-pieces.js'

const xsdFolder = new URL('../../../schemas/gs1/xsd/', import.meta.url)
/** Every vendored XSD, read once: the main schema is passed first, the ones it imports/includes as preloads. */
const xsdFiles = readdirSync(xsdFolder)
  .filter((name) => name.endsWith('.xsd'))
  .map((name) => ({ fileName: name, contents: readFileSync(new URL(name, xsdFolder), 'utf8') }))

/**
 * One xmllint run (a worker with xmllint compiled to WebAssembly) over several documents against one
 * vendored XSD. Each document's errors carry the lines of the document it was cut from.
 */
export async function xsdCheck(pieces: XsdPiece[], schemaName: string): Promise<XmlValidationResult[]> {
  const files = pieces.map((piece, index) => ({ fileName: `document-${index}.xml`, contents: utf8Bytes(piece.parts) }))
  const bytes = files.reduce((total, file) => total + file.contents.byteLength, 0)
  // Streaming validation (xmllint --stream) holds the documents' bytes, not a tree of them.
  const neededPages = Math.ceil((bytes * 3) / (64 * 1024))
  let result: { errors: ReturnType<typeof parseErrors>; rawOutput: string }
  try {
    result = await validateFiles(files, schemaName, Math.min(memoryPages.max, Math.max(memoryPages.defaultMaxMemoryPages, neededPages + 32 * memoryPages.MiB)))
  } catch (error) {
    const unparsed = notParsed(error, files.map((file) => file.fileName))
    if (unparsed === undefined) throw error
    return files.map((file) => ({
      valid: !unparsed.has(file.fileName),
      errors: unparsed.has(file.fileName) ? [{ message: 'The document is not well-formed XML' }] : [],
      checkedWith: schemaName,
    }))
  }
  const output = result.rawOutput
  return files.map((file, index) => {
    const piece = pieces[index]!
    const errors: XmlValidationError[] = result.errors
      .filter((error) => error.loc?.fileName === file.fileName)
      .map((error) => {
        const message = error.message.replace(/^Schemas validity error\s*:\s*/, '')
        return error.loc ? { line: piece.documentLine(error.loc.lineNumber), message } : { message }
      })
    const failed = output.includes(`${file.fileName} fails to validate`) || errors.length > 0
    if (failed && errors.length === 0) errors.push({ message: 'The document does not validate against the XSD' })
    return { valid: !failed, errors, checkedWith: schemaName }
  })
}

/**
 * xmllint --schema --stream over the files in the shared worker (xmllint-worker.ts), read as xmllint-wasm's
 * validateXML reads it: exit code 0 valid, 3 or 4 invalid with errors, anything else thrown with xmllint's output.
 */
async function validateFiles(files: Array<{ fileName: string; contents: Uint8Array }>, schemaName: string, maxMemory: number) {
  const schema = xsdFiles.filter((file) => file.fileName === schemaName)
  const { exitCode, stderr } = await runXmllint({
    inputFiles: [...files, ...schema, ...xsdFiles.filter((file) => file.fileName !== schemaName)],
    args: ['--schema', schemaName, '--noout', '--stream', ...files.map((file) => file.fileName)],
    initialMemory: memoryPages.defaultInitialMemoryPages,
    maxMemory,
  })
  if (exitCode === 0) return { errors: [], rawOutput: stderr }
  if (exitCode === 3 || exitCode === 4) return { errors: parseErrors(stderr), rawOutput: stderr }
  throw Object.assign(new Error(stderr), { code: exitCode })
}

/** xmllint's error lines, as xmllint-wasm parses them (the last line, the verdict, left out). */
function parseErrors(output: string): Array<{ message: string; loc: { fileName: string; lineNumber: number } | null }> {
  return output
    .split('\n')
    .slice(0, -2)
    .map((line) => {
      const [fileName, lineNumber, ...rest] = line.split(':')
      if (fileName && lineNumber && rest.length > 0) return { rawMessage: line, message: rest.join(':').trim(), loc: { fileName, lineNumber: parseInt(lineNumber) } }
      return { rawMessage: line, message: line, loc: null }
    })
    .filter((error) => error.loc !== null || !error.rawMessage.trim().endsWith(' validates'))
}

/**
 * The files xmllint could not parse at all, when that is why it failed (xmllint-wasm rejects then, instead of
 * reporting errors): a piece cut from a document that breaks off mid-event, for one. Undefined for any other failure.
 */
function notParsed(error: unknown, fileNames: string[]): Set<string> | undefined {
  const message = error instanceof Error ? error.message : ''
  if (!/failed to parse/.test(message)) return undefined
  const named = fileNames.filter((name) => message.includes(`${name} : failed to parse`))
  return new Set(named.length > 0 ? named : fileNames)
}

/**
 * The pieces of one document, checked one after another in xmllint's worker while the document is read on:
 * a piece starts once the one before it is done, so at most one waits while another is checked.
 */
export class XsdPieceChecks {
  private readonly results: XmlValidationResult[] = []
  private running: Promise<XmlValidationResult[]> | undefined

  constructor(readonly schemaName: string) {}

  /** Starts checking `piece` once the piece before it is done. */
  async add(piece: XsdPiece): Promise<void> {
    await this.settle()
    this.running = xsdCheck([piece], this.schemaName)
    // Awaited with the next piece or by settle(); a refusal of the document in between leaves it unread.
    this.running.catch(() => undefined)
  }

  /** Waits for the piece being checked; the results of every piece added so far. */
  async settle(): Promise<readonly XmlValidationResult[]> {
    const running = this.running
    this.running = undefined
    if (running) this.results.push(...(await running))
    return this.results
  }
}

/** The result of a document checked in pieces: valid when every piece is, with each error once. */
export function mergeXsdResults(results: readonly XmlValidationResult[], schemaName: string): XmlValidationResult {
  const seen = new Set<string>()
  const errors = results
    .flatMap((result) => result.errors)
    .filter((error) => {
      const key = `${error.line}:${error.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  return { valid: results.every((result) => result.valid), errors, checkedWith: schemaName }
}

/**
 * The parts as one UTF-8 buffer, written part by part (no joined copy of the text). xmllint reads UTF-8
 * only, so a declared encoding, which the text no longer is in, becomes UTF-8.
 */
function utf8Bytes(parts: string[]): Buffer {
  const [first = '', ...rest] = parts
  const texts = [first.replace(/^(\s*<\?xml[^>]*?\s)encoding\s*=\s*["'][^"']*["']/, '$1encoding="UTF-8"'), ...rest]
  // A buffer of its own (never Node's shared pool), so that it can be handed over to the worker rather than copied.
  const bytes = Buffer.allocUnsafeSlow(texts.reduce((total, text) => total + Buffer.byteLength(text, 'utf8'), 0))
  let offset = 0
  for (const text of texts) offset += bytes.write(text, offset, 'utf8')
  return bytes
}
