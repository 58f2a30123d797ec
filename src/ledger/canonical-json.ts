import { canonicalNumber } from '../epcis/event-hash/values.js'
import { isExactNumber } from '../epcis/exact-number.js'

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does) and no whitespace; strings
 * and numbers are written as JSON.stringify writes them. Values JSON.stringify leaves out of objects
 * (undefined, functions, symbols) are left out here too, and become null in arrays, so a body hashes
 * the same before it is stored and after PostgreSQL's jsonb gives it back with its keys in another
 * order. A number kept exactly (one a double cannot hold) is written in canonical decimal form (no exponent,
 * no trailing zeros), which PostgreSQL's jsonb numeric gives back unchanged in value; every other number is a
 * double and is written as before, so entries stored earlier still verify.
 * Plain loops and string concatenation: this runs once per captured event.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (isExactNumber(value)) return canonicalNumber(value)
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON())
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ','
      out += omitted(value[i]) ? 'null' : canonicalJson(value[i])
    }
    return `${out}]`
  }
  const object = value as Record<string, unknown>
  let out = '{'
  for (const key of Object.keys(object).sort()) {
    const item = object[key]
    if (omitted(item)) continue
    if (out.length > 1) out += ','
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`
  }
  return `${out}}`
}

function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol'
}
