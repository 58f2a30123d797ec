import { TextDecoder } from 'node:util'
import { XmlInputError } from './errors.js'

export type XmlInput = string | Uint8Array | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>

const STRING_SLICE = 1 << 20
const SNIFF_BYTES = 512

/**
 * Turns any accepted input into decoded text chunks, enforcing the byte limit as the bytes arrive
 * (a stream over the limit is refused without reading the rest).
 * Bytes are decoded by their BOM or XML declaration (UTF-8 when neither says otherwise).
 */
export async function* decodeXmlInput(input: XmlInput, maxBytes: number): AsyncGenerator<string> {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > maxBytes) throw tooLarge(maxBytes)
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
    for (let start = 0; start < text.length; start += STRING_SLICE) yield text.slice(start, start + STRING_SLICE)
    return
  }
  let total = 0
  let decoder: TextDecoder | undefined
  let pending: Uint8Array[] = []
  let pendingLength = 0
  for await (const chunk of asChunks(input)) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    total += bytes.byteLength
    if (total > maxBytes) throw tooLarge(maxBytes)
    if (decoder === undefined) {
      pending.push(bytes)
      pendingLength += bytes.byteLength
      if (pendingLength < SNIFF_BYTES) continue
      const head = Buffer.concat(pending)
      pending = []
      decoder = decoderFor(head)
      yield decode(decoder, head, true)
      continue
    }
    yield decode(decoder, bytes, true)
  }
  if (decoder === undefined) {
    const head = Buffer.concat(pending)
    decoder = decoderFor(head)
    yield decode(decoder, head, true)
  }
  yield decode(decoder, new Uint8Array(0), false)
}

function asChunks(input: Uint8Array | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>): AsyncIterable<string | Uint8Array> {
  if (input instanceof Uint8Array) {
    return (async function* () {
      yield input
    })()
  }
  if (Symbol.asyncIterator in input) return input as AsyncIterable<string | Uint8Array>
  throw new TypeError('XML input must be a string, a Buffer or an async-iterable stream')
}

function decode(decoder: TextDecoder, bytes: Uint8Array, stream: boolean): string {
  try {
    return decoder.decode(bytes, { stream })
  } catch {
    throw new XmlInputError('malformed', `The document is not valid ${decoder.encoding} text`)
  }
}

function decoderFor(head: Uint8Array): TextDecoder {
  return makeDecoder(sniffEncoding(head))
}

function sniffEncoding(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  if (head[0] === 0x3c && head[1] === 0x00) return 'utf-16le'
  if (head[0] === 0x00 && head[1] === 0x3c) return 'utf-16be'
  // The XML declaration is ASCII in every ASCII-compatible encoding.
  const ascii = Buffer.from(head.subarray(0, SNIFF_BYTES)).toString('latin1')
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(ascii)
  return declared?.[1] ?? 'utf-8'
}

function makeDecoder(label: string): TextDecoder {
  try {
    return new TextDecoder(label, { fatal: true })
  } catch {
    throw new XmlInputError('malformed', `Unsupported character encoding "${label}"`)
  }
}

function tooLarge(maxBytes: number): XmlInputError {
  return new XmlInputError('limit', `The XML document exceeds the size limit of ${maxBytes} bytes`)
}
