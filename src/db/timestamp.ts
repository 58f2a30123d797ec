import pg from 'pg'

export const TIMESTAMPTZ_OID = 1184
/** pg's own parser (postgres-date), for what is not read here. */
const parseDate = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text')

/**
 * A timestamptz as PostgreSQL writes it (`2026-12-08 02:20:11.123456+07`, `+05:30`, `-03:30:15`), read by hand into
 * the Date postgres-date would give, which takes three regular expressions and a split for each value: every
 * delivered or queried event has a record time. Anything else (BC, infinity, years before 1000 or after 9999) goes
 * to postgres-date itself.
 */
export function parseTimestamptz(text: string): unknown {
  const length = text.length
  if (length < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 32) return parseDate(text)
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 7)
  const day = digits(text, 8, 10)
  const hour = digits(text, 11, 13)
  const minute = digits(text, 14, 16)
  const second = digits(text, 17, 19)
  if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return parseDate(text)
  if (text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return parseDate(text)
  let at = 19
  let ms = 0
  if (text.charCodeAt(at) === 46) {
    let end = at + 1
    while (end < length && isDigit(text.charCodeAt(end))) end++
    if (end === at + 1) return parseDate(text)
    // The same arithmetic as postgres-date, so that the milliseconds truncate alike.
    ms = 1000 * parseFloat(text.slice(at, end))
    at = end
  }
  const sign = text.charCodeAt(at)
  if (sign !== 43 && sign !== 45) return parseDate(text)
  const zone = [digits(text, at + 1, at + 3), 0, 0]
  let next = at + 3
  for (let part = 1; part < 3 && next < length; part++) {
    if (text.charCodeAt(next) !== 58) return parseDate(text)
    zone[part] = digits(text, next + 1, next + 3)
    next += 3
  }
  if (next !== length || zone.some((value) => value < 0)) return parseDate(text)
  const offset = (zone[0]! * 3600 + zone[1]! * 60 + zone[2]!) * 1000 * (sign === 45 ? -1 : 1)
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset)
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** The number written by the digits text[from, to), or -1 when any of them is not a digit (or the text ends). */
function digits(text: string, from: number, to: number): number {
  if (to > text.length) return -1
  let value = 0
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i)
    if (!isDigit(code)) return -1
    value = value * 10 + (code - 48)
  }
  return value
}
