/** Why an XML input was refused; lets the HTTP layer pick 400 or 413. */
export type XmlInputErrorKind =
  | 'malformed' // not well-formed XML, or an encoding we cannot decode
  | 'forbidden' // DTD internal subset, external reference, unknown entity
  | 'limit' // larger than the size limit
  | 'depth' // nested deeper than the depth limit
  | 'structure' // well-formed, but not an EPCIS document we can read
  | 'unsupported' // a valid EPCIS construct this converter does not take (capture job, QuantityEvent, ...)

/**
 * A refused XML input. The message is written for an RFC 7807 `detail`:
 * it says what was wrong and, when known, where (`line`).
 */
export class XmlInputError extends Error {
  override readonly name = 'XmlInputError'
  readonly kind: XmlInputErrorKind
  readonly line: number | undefined
  /** The message without the line suffix. */
  readonly reason: string

  constructor(kind: XmlInputErrorKind, reason: string, line?: number) {
    super(line === undefined ? reason : `${reason} (line ${line})`)
    this.kind = kind
    this.line = line
    this.reason = reason
  }
}

/** A document that does not conform to its XSD (or, for EPCIS 1.x, to the converter's structural rules). */
export class XmlSchemaError extends Error {
  override readonly name = 'XmlSchemaError'
  constructor(
    /** What it was checked against. */
    readonly checkedWith: string,
    readonly errors: ReadonlyArray<{ line?: number; message: string }>,
  ) {
    super(`The XML document does not conform to ${checkedWith}`)
  }
}
