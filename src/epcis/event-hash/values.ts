/** Lexical forms of the pre-hash string (CBV 2.0 section 8.9, rules 5 to 10). */
import type { ExactNumber } from '../exact-number.js'

/** Already in the canonical form: nothing to do (the common case for stored events). */
const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const DATE_TIME_STAMP = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/

/**
 * An xsd:dateTimeStamp in UTC with exactly three fraction digits ("2020-03-04T10:00:30.000Z").
 * Further digits are rounded half-up ("...03.1415Z" -> "...03.142Z"; a carry moves the seconds).
 * A value that is not a dateTimeStamp comes back trimmed but otherwise as given.
 */
export function canonicalTimestamp(raw: string): string {
  const value = raw.trim()
  if (CANONICAL_UTC.test(value)) return value
  const quick = commonTimestamp(value)
  if (quick !== undefined) return quick
  const match = DATE_TIME_STAMP.exec(value)
  if (match === null) return value
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match
  const y = Number(year)
  let time = Date.UTC(y, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second))
  if (y >= 0 && y < 100) time = new Date(time).setUTCFullYear(y) // Date.UTC reads 0..99 as 1900..1999
  let millis = Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0'))
  if (fraction.length > 3 && fraction.charCodeAt(3) >= 53 /* '5' */) millis += 1
  if (zone !== 'Z') {
    const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))
    time -= (zone.charCodeAt(0) === 45 /* '-' */ ? -minutes : minutes) * 60_000
  }
  time += millis
  return Number.isNaN(time) ? value : new Date(time).toISOString()
}

/** The digit at `index` as a number, or NaN. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48
  return code >= 0 && code <= 9 ? code : NaN
}

function twoDigits(text: string, index: number): number {
  return digitAt(text, index) * 10 + digitAt(text, index + 1)
}

/**
 * canonicalTimestamp for the usual shape, a four-digit year from 0100 with a zone ("2024-03-01T07:02:13.123+07:00"),
 * read without a regular expression: the same arithmetic as the general case on the same numbers. undefined for
 * anything else, which the general case reads.
 */
function commonTimestamp(value: string): string | undefined {
  const length = value.length
  if (length < 20 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 /* T */) return undefined
  if (value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return undefined
  const y = twoDigits(value, 0) * 100 + twoDigits(value, 2)
  const month = twoDigits(value, 5)
  const day = twoDigits(value, 8)
  const hour = twoDigits(value, 11)
  const minute = twoDigits(value, 14)
  const second = twoDigits(value, 17)
  if (!(y >= 100) || Number.isNaN(month + day + hour + minute + second)) return undefined
  let position = 19
  let millis = 0
  if (value.charCodeAt(position) === 46 /* . */) {
    const start = ++position
    while (position < length && !Number.isNaN(digitAt(value, position))) position++
    const digits = position - start
    if (digits === 0) return undefined
    for (let i = 0; i < 3; i++) millis = millis * 10 + (i < digits ? digitAt(value, start + i) : 0)
    if (digits > 3 && value.charCodeAt(start + 3) >= 53 /* '5' */) millis += 1
  }
  let offsetMinutes = 0
  const zone = value.charCodeAt(position)
  if (zone === 90 /* Z */) {
    if (position + 1 !== length) return undefined
  } else if (zone === 43 || zone === 45) {
    if (position + 6 !== length || value.charCodeAt(position + 3) !== 58) return undefined
    const minutes = twoDigits(value, position + 1) * 60 + twoDigits(value, position + 4)
    if (Number.isNaN(minutes)) return undefined
    offsetMinutes = zone === 45 ? -minutes : minutes
  } else {
    return undefined
  }
  const time = Date.UTC(y, month - 1, day, hour, minute, second) - offsetMinutes * 60_000 + millis
  return Number.isNaN(time) ? value : new Date(time).toISOString()
}

/** Whether the string is a complete xsd:dateTimeStamp (a date-time with a zone). */
export function isTimestamp(value: string): boolean {
  return DATE_TIME_STAMP.test(value)
}

/** An xsd:decimal / xsd:double literal; zero-padded digit strings ("007") are codes, not quantities. */
const DECIMAL = /^([+-]?)(?:(0|[1-9]\d*)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/

/**
 * The plain decimal form of a numeric literal with no leading or trailing zeros and no exponent
 * ("1.50" -> "1.5", "26.0" -> "26", "1E3" -> "1000", "-0" -> "0"), computed on the digits so no
 * precision is lost; undefined when the string is not a number.
 */
export function canonicalDecimal(raw: string): string | undefined {
  const match = DECIMAL.exec(raw)
  if (match === null) return undefined
  const [, sign, integer = '', fractionA, fractionB, exponentText] = match
  const fraction = fractionA ?? fractionB ?? ''
  const exponent = exponentText === undefined ? 0 : Number(exponentText)
  if (Math.abs(exponent) > 400) return undefined
  let digits = integer + fraction
  let point = integer.length + exponent
  let start = 0
  while (start < digits.length && digits.charCodeAt(start) === 48) start++
  point -= start
  let end = digits.length
  while (end > start && digits.charCodeAt(end - 1) === 48) end--
  digits = digits.slice(start, end)
  if (digits === '') return '0'
  let plain: string
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length)
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`
  return sign === '-' ? `-${plain}` : plain
}

const LEADING_ZEROS = /^([+-]?)0+(?=\d)/

/**
 * The value of a numeric field (quantity, sensor values) in canonical decimal form, from a JSON
 * number (a double, or the exact decimal text of one a double cannot hold) or a numeric literal
 * (leading zeros allowed here: the field is typed); other text as given. A double gives what its
 * shortest decimal text gives, so an exact number and a double of the same value hash alike.
 */
export function canonicalNumber(value: number | string | ExactNumber): string {
  if (typeof value === 'object') return canonicalDecimal(value.rawJSON) ?? value.rawJSON
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e21) return value === 0 ? '0' : String(value)
    const text = String(value)
    return text.includes('e') ? (canonicalDecimal(text) ?? text) : text
  }
  const text = value.trim()
  return canonicalDecimal(text.replace(LEADING_ZEROS, '$1')) ?? text
}

/** xsd:boolean in canonical form ("1" -> "true"); anything else as given. */
export function canonicalBoolean(value: boolean | string): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = value.trim()
  return text === '1' ? 'true' : text === '0' ? 'false' : text
}

/**
 * Case-sensitive ordering by Unicode code point, i.e. by the UTF-8 bytes (rule 10). Plain `<` on
 * JavaScript strings compares UTF-16 units, which differs for characters above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (U+10000 and up) sort after U+E000..U+FFFF in code point order.
      x += x < 0xe000 ? 0x2000 : -0x800
      y += y < 0xe000 ? 0x2000 : -0x800
    }
    return x - y
  }
  return a.length - b.length
}

const SURROGATE = /[\uD800-\uDFFF]/

/**
 * The strings in code point order, concatenated. Without surrogates (characters above U+FFFF) UTF-16 order is
 * code point order, and the native sort is several times faster than compareCodePoints on the long common
 * prefixes of identifiers: sorted natively, then checked once on the result.
 */
export function sortedJoin(values: string[]): string {
  if (values.length < 2) return values.length === 0 ? '' : values[0]!
  const joined = sortUtf16(values).join('')
  return SURROGATE.test(joined) ? values.sort(compareCodePoints).join('') : joined
}

const byUtf16 = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** In place, in UTF-16 order: an insertion sort for the short lists most events have, Array.prototype.sort for longer ones. */
function sortUtf16(values: string[]): string[] {
  if (values.length > 16) return values.sort(byUtf16)
  for (let i = 1; i < values.length; i++) {
    const value = values[i]!
    let j = i - 1
    while (j >= 0 && values[j]! > value) {
      values[j + 1] = values[j]!
      j--
    }
    values[j + 1] = value
  }
  return values
}
