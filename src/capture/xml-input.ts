import { ERRORS } from '../errors.js'
import { byteChunks, detachStrings, validateXml, xmlToEpcisDocument, XmlInputError } from '../epcis/xml/index.js'

export const XML_MEDIA_TYPES = ['application/xml', 'text/xml']

/**
 * An XML capture body as the JSON-LD document it stands for: checked against the GS1 XSD first
 * (EPCIS 1.2 documents, which have no vendored XSD, against the converter's structural rules), then
 * converted by the EPCIS 2.0 mapping between the bindings. Unsafe XML never reaches either step.
 * Both read the body a slice at a time, so a large document is never held as one decoded string.
 */
export async function xmlCaptureDocument(body: Buffer, maxBytes: number): Promise<Record<string, unknown>> {
  const limits = { maxBytes }
  try {
    const validation = await validateXml(body, limits)
    if (!validation.valid) {
      throw ERRORS.validation(
        `The XML document does not conform to ${validation.checkedWith}`,
        validation.errors.slice(0, 10).map((e) => ({ pointer: e.line === undefined ? '/' : `line ${e.line}`, message: e.message })),
      )
    }
    return detachStrings(await xmlToEpcisDocument(byteChunks(body), limits)) as Record<string, unknown>
  } catch (error) {
    if (!(error instanceof XmlInputError)) throw error
    if (error.kind === 'limit') throw ERRORS.captureLimitExceeded(error.message)
    throw ERRORS.validation(`The XML document was refused: ${error.message}`, [
      { pointer: error.line === undefined ? '/' : `line ${error.line}`, message: error.reason },
    ])
  }
}
