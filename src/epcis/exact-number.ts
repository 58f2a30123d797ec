import { canonicalDecimal } from './event-hash/values.js'

/**
 * A JSON number kept as its decimal text because a double would change its value (12345678901234567,
 * 0.1000000000000000055511151231257827, 1e-400, 1e400): a `JSON.rawJSON` value (Node 22), which JSON.stringify
 * writes back exactly as that text, so job parts, the rows sent to PostgreSQL and the answers keep it. Every
 * other number stays a plain JS number.
 */
export interface ExactNumber {
  readonly rawJSON: string
}

// JSON.rawJSON and JSON.isRawJSON (the "JSON.parse source text access" proposal) are in Node 22, not yet in
// TypeScript's lib.
const RawJson = JSON as unknown as {
  rawJSON(text: string): ExactNumber
  isRawJSON(value: unknown): boolean
}

export function isExactNumber(value: unknown): value is ExactNumber {
  return typeof value === 'object' && value !== null && RawJson.isRawJSON(value)
}

export function exactNumber(text: string): ExactNumber {
  return RawJson.rawJSON(text)
}

/** A JSON number in either form. */
export function isNumeric(value: unknown): value is number | ExactNumber {
  return typeof value === 'number' || isExactNumber(value)
}

/** The decimal text of a number: as JavaScript writes a double, or as sent for an exact number. */
export function numberText(value: number | ExactNumber): string {
  return typeof value === 'number' ? String(value) : value.rawJSON
}

/** The number's value as a double (an approximation for an exact number, ±Infinity beyond the range). */
export function numberValue(value: number | ExactNumber): number {
  return typeof value === 'number' ? value : Number(value.rawJSON)
}

/** Fifteen significant digits at most and no exponent: every double reads such a literal back unchanged. */
const SHORT_LITERAL = /^-?(?:\d\.?){1,15}$/

/**
 * Whether the double JSON.parse made of a literal has the literal's value: the double's shortest decimal
 * form and the literal denote the same decimal number (so "1.50", "1e2" and "0.0000001" survive, and
 * "12345678901234567" does not).
 */
export function survivesDouble(literal: string, value: number): boolean {
  if (SHORT_LITERAL.test(literal)) return true
  if (!Number.isFinite(value)) return false
  return canonicalDecimal(literal) === canonicalDecimal(String(value))
}

/** Longest mantissa kept exactly; the exponent is bounded by canonicalDecimal (±400). */
const MAX_DIGITS = 1000

/**
 * Why a number cannot be kept as sent, or undefined when it can. A double's range is the bound (other EPCIS
 * systems read numbers as doubles; `1e400` would be infinite for them), and so is a decimal text PostgreSQL's
 * numeric and the event hash can handle.
 */
export function numberProblem(value: number | ExactNumber): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'must be a finite number'
  const text = value.rawJSON
  if (!Number.isFinite(Number(text))) return `the number ${shorten(text)} is beyond the range of a double (about ±1.8e308)`
  const mantissa = text.replace(/[eE].*$/, '')
  let digits = 0
  for (let i = 0; i < mantissa.length; i++) if (mantissa.charCodeAt(i) >= 48 && mantissa.charCodeAt(i) <= 57) digits++
  if (digits > MAX_DIGITS || canonicalDecimal(text) === undefined) {
    return `the number ${shorten(text)} has more digits or a larger exponent than this repository keeps exactly (${MAX_DIGITS} digits, exponent ±400)`
  }
  return undefined
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 20)}…${text.slice(-12)}` : text
}
