import { ERRORS } from '../errors.js'
import { byteChunks, detachStrings, validateXml, xmlToEpcisDocument, XmlInputError, XmlSchemaError, type XmlLimits } from '../epcis/xml/index.js'

export const XML_MEDIA_TYPES = ['application/xml', 'text/xml']

/** A request stream's bytes, refused as soon as they pass `maxBytes` (for small XML bodies: POST /events). */
export async function bodyBytes(stream: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const chunk of stream) {
    length += chunk.byteLength
    if (length > maxBytes) throw ERRORS.captureLimitExceeded(`The XML document exceeds the size limit of ${maxBytes} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, length)
}

/**
 * Runs `work` over an XML body with its refusals (unsafe or malformed XML, limits, structure) answered as
 * EPCIS problems: 413 for a limit, 400 otherwise.
 */
export async function refusingBadXml<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof XmlSchemaError) throw schemaProblem(error.checkedWith, error.errors)
    if (!(error instanceof XmlInputError)) throw error
    if (error.kind === 'limit') throw ERRORS.captureLimitExceeded(error.message)
    throw ERRORS.validation(`The XML document was refused: ${error.message}`, [
      { pointer: error.line === undefined ? '/' : `line ${error.line}`, message: error.reason },
    ])
  }
}

/**
 * Checks an XML capture body against the GS1 XSD (EPCIS 1.2 documents, which have no vendored XSD, against
 * the converter's structural rules), a slice at a time: a large document is never held as one decoded string.
 * Unsafe XML is refused (XmlInputError) before anything is checked.
 */
export async function checkXmlCapture(body: Buffer, limits: XmlLimits): Promise<void> {
  const validation = await validateXml(body, limits)
  if (!validation.valid) throw schemaProblem(validation.checkedWith, validation.errors)
}

function schemaProblem(checkedWith: string, errors: ReadonlyArray<{ line?: number; message: string }>) {
  return ERRORS.validation(
    `The XML document does not conform to ${checkedWith}`,
    errors.slice(0, 10).map((e) => ({ pointer: e.line === undefined ? '/' : `line ${e.line}`, message: e.message })),
  )
}

/** A small XML capture body (POST /events) as the JSON-LD document it stands for: checked, then converted whole. */
export async function xmlCaptureDocument(body: Buffer, maxBytes: number): Promise<Record<string, unknown>> {
  const limits = { maxBytes }
  return refusingBadXml(async () => {
    await checkXmlCapture(body, limits)
    return detachStrings(await xmlToEpcisDocument(byteChunks(body), limits)) as Record<string, unknown>
  })
}
