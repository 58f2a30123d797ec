/**
 * Scalar values as the query interface compares them, shared by the query parser and by the rows
 * written at capture, so that both sides of every comparison are spelled the same way. Identifier
 * and CBV normalisation itself lives in src/epcis/canonical.ts; this module only decides which of
 * its functions applies to which value.
 */
import { canonicalIdentifier, canonicalVocabulary, type VocabularyKind } from '../epcis/canonical.js'
import { isExactNumber, type ExactNumber } from '../epcis/exact-number.js'

/** An xsd:decimal (or JSON number) written out: optional sign, digits, optional fraction and exponent. */
export const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$/

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))$/

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * An ISO 8601 date-time with a time zone that names a real instant PostgreSQL accepts (no
 * 30 February, no hour 24, no year 0). Date.parse alone accepts some of those.
 */
export function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value)
  if (!match) return false
  const [, y, mo, d, h, mi, s, , oh, om] = match
  const year = Number(y)
  const month = Number(mo)
  if (year < 1 || month < 1 || month > 12) return false
  if (Number(d) < 1 || Number(d) > daysIn(year, month)) return false
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return false
  if (oh !== undefined && (Number(oh) > 14 || Number(om) > 59)) return false
  return true
}

/**
 * A finite decimal that PostgreSQL's numeric accepts, as text; undefined otherwise. Longer texts
 * (thousands of digits) are not taken for numbers: numeric would refuse some of them. An exact number
 * (bounded when captured) is its decimal text.
 */
export function decimalText(value: string | number | ExactNumber): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (typeof value === 'object') return value.rawJSON
  const trimmed = value.trim()
  return trimmed.length <= 64 && DECIMAL.test(trimmed) && Number.isFinite(Number(trimmed)) ? trimmed : undefined
}

/** How one scalar is kept: always as text, and also as a number and a time when it reads as one. */
export interface ScalarForms {
  text: string
  num: string | null
  time: string | null
}

export function scalarForms(value: string | number | boolean | ExactNumber): ScalarForms {
  if (typeof value === 'boolean') return { text: String(value), num: null, time: null }
  if (isExactNumber(value)) return { text: value.rawJSON, num: value.rawJSON, time: null }
  if (typeof value === 'number') return { text: String(value), num: decimalText(value) ?? null, time: null }
  return { text: value, num: decimalText(value) ?? null, time: isDateTime(value) ? value : null }
}

/**
 * The key of a URI that may be a GS1 identifier (deviceID, uriValue, a master-data element id):
 * its canonical key when it is a valid identifier, else the URI as given.
 */
export function uriKey(value: string): string {
  try {
    return canonicalIdentifier(value)
  } catch {
    return value
  }
}

/** The key of a CBV / GS1 Web Vocabulary value: its Web URI; user vocabulary values unchanged. */
export function vocabularyKey(kind: VocabularyKind, value: string): string {
  return canonicalVocabulary(kind, value)
}

/** hexBinary compares case-insensitively; upper case is its canonical form. */
export function hexKey(value: string): string {
  return value.toUpperCase()
}
