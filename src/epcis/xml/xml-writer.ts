import { canonicalNumber } from '../event-hash/values.js'
import type { ExactNumber } from '../exact-number.js'

// Characters XML 1.0 cannot carry at all, not even as references: C0 controls other than tab/LF/CR,
// U+FFFE/U+FFFF and unpaired surrogates. JSON strings may hold them; they become U+FFFD.
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function escapeText(value: string): string {
  return value.replace(NOT_XML_CHARACTERS, '\uFFFD').replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] as string)
}

export function escapeAttribute(value: string): string {
  return value.replace(NOT_XML_CHARACTERS, '\uFFFD').replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] as string)
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', '\t': '&#9;', '\n': '&#10;' }

// XML 1.0 NCName, restricted to what JSON keys realistically hold (letters of any script, digits, . - _).
const NCNAME = /^[\p{L}_][\p{L}\p{N}._\-\u00B7\u0300-\u036F\u203F\u2040]*$/u

export function isNcName(value: string): boolean {
  return NCNAME.test(value)
}

export type XmlAttributes = ReadonlyArray<readonly [name: string, value: string]>

/** Builds indented XML text. Names are trusted (callers check them); every value is escaped here. */
export class XmlWriter {
  private readonly parts: string[] = []
  private readonly hasChildren: boolean[] = []

  /** `baseDepth` indents everything written, for content placed inside an element written elsewhere. */
  constructor(private readonly baseDepth = 0) {}

  start(name: string, attributes: XmlAttributes = []): void {
    this.markChild()
    this.parts.push(`${this.indent()}<${name}${attributeText(attributes)}>`)
    this.hasChildren.push(false)
  }

  end(name: string): void {
    const hadChildren = this.hasChildren.pop()
    this.parts.push(hadChildren ? `${this.indent()}</${name}>` : `</${name}>`)
  }

  /** An element with only text (or nothing) in it. */
  leaf(name: string, text: string, attributes: XmlAttributes = []): void {
    this.markChild()
    const indent = this.indent()
    this.parts.push(text === '' ? `${indent}<${name}${attributeText(attributes)}/>` : `${indent}<${name}${attributeText(attributes)}>${escapeText(text)}</${name}>`)
  }

  /** Text inside the element opened last, before its children. */
  text(text: string): void {
    this.parts.push(escapeText(text))
  }

  toString(): string {
    return this.parts.join('')
  }

  private indent(): string {
    return `\n${'  '.repeat(this.baseDepth + this.hasChildren.length)}`
  }

  private markChild(): void {
    if (this.hasChildren.length > 0) this.hasChildren[this.hasChildren.length - 1] = true
  }
}

function attributeText(attributes: XmlAttributes): string {
  let text = ''
  for (const [name, value] of attributes) text += ` ${name}="${escapeAttribute(value)}"`
  return text
}

/** A JSON number as an xsd:decimal lexical form (no exponent); an exact number keeps every digit. */
export function decimalText(value: number | ExactNumber): string {
  if (typeof value === 'object') return canonicalNumber(value)
  const text = String(value)
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text)
  if (match === null) return text
  const [, sign, lead, fraction = '', exponentText] = match
  const digits = `${lead}${fraction}`
  const exponent = Number(exponentText)
  if (exponent >= 0) {
    const point = 1 + exponent
    return point >= digits.length ? `${sign}${digits}${'0'.repeat(point - digits.length)}` : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
  }
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
}
