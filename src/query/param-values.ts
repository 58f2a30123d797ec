/** Checks and normalises the values of one query parameter; every error names the parameter. */
import { ERRORS } from '../errors.js'
import type { Comparison, Inequality, ValueTest } from './filters.js'
import type { Namespaces } from './namespaces.js'
import { prefixOf } from './namespaces.js'
import { isUomCode } from './units.js'
import { decimalText, isDateTime } from './values.js'

/** One parameter as the parsers see it: its name, its values (already split on |) and the resolved prefixes. */
export interface Param {
  name: string
  values: string[]
  namespaces: Namespaces
}

export function badValue(name: string, value: string, why: string): Error {
  return ERRORS.queryParameter(`${name}: '${value}' ${why}`)
}

/** PostgreSQL text cannot hold U+0000; a parameter name or value with one is refused before it reaches SQL. */
export function checkText(name: string, value: string): string {
  if (value.includes('\u0000')) throw ERRORS.queryParameter(`${JSON.stringify(name)}: a NUL character is not allowed`)
  return value
}

export function single({ name, values }: Param, what: string): string {
  if (values.length !== 1) throw ERRORS.queryParameter(`${name} takes exactly one ${what}`)
  return values[0]!
}

/**
 * An unencoded '+' in a query string arrives as a space: "08:00:00 07:00" is taken for
 * "08:00:00+07:00", the only reading that makes it a date-time.
 */
function restorePlus(value: string): string {
  return /T[\d:.]+ \d{2}:\d{2}$/.test(value) ? value.replace(/ (\d{2}:\d{2})$/, '+$1') : value
}

export function timeValue(name: string, raw: string): string {
  const value = restorePlus(raw)
  if (!isDateTime(value)) {
    throw badValue(name, raw, 'is not a date-time with a time zone (e.g. 2024-05-01T08:00:00.000+07:00)')
  }
  return value
}

export function decimalValue(name: string, value: string): string {
  const text = decimalText(value)
  if (text === undefined) throw badValue(name, value, 'is not a number')
  return text
}

export function nonNegativeInteger(name: string, value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw badValue(name, value, 'is not a non-negative integer')
  return Number(value)
}

export function booleanValue(name: string, value: string): boolean {
  if (value === 'true') return true
  if (value === 'false') return false
  throw badValue(name, value, "is not 'true' or 'false'")
}

const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/

export function uriValue(name: string, value: string): string {
  if (!URI.test(value)) throw badValue(name, value, 'is not a URI')
  return value
}

export function uomCode(name: string, code: string): string {
  if (!isUomCode(code)) throw ERRORS.queryParameter(`${name}: '${code}' is not a UN/ECE Recommendation 20 unit code`)
  return code
}

/** EXISTS_ parameters take no value; 'true' is accepted, 'false' means the parameter is not there. */
export function existsFlag({ name, values }: Param): boolean {
  if (values.length !== 1) throw ERRORS.queryParameter(`${name} takes no value`)
  const value = values[0]!.toLowerCase()
  if (value === '' || value === 'true') return true
  if (value === 'false') return false
  throw ERRORS.queryParameter(`${name} takes no value (or 'true' / 'false')`)
}

export const COMPARISONS: Record<string, Comparison> = { EQ: '=', GT: '>', GE: '>=', LT: '<', LE: '<=' }

/** Values compared with =, >, ... : a list for EQ, exactly one number otherwise. */
export function comparedNumbers(param: Param, op: Comparison): string[] {
  if (op !== '=') return [decimalValue(param.name, single(param, 'number'))]
  return param.values.map((v) => decimalValue(param.name, v))
}

/**
 * What an extension-field parameter asks: EQ_ takes strings (each also compared as a number and
 * as a time when it reads as one), GT_/GE_/LT_/LE_ one number or one date-time, EXISTS_ nothing.
 */
export function valueTest(param: Param, op: Comparison | 'exists'): ValueTest | undefined {
  if (op === 'exists') return existsFlag(param) ? { op: 'exists' } : undefined
  if (op === '=') {
    return {
      op,
      texts: param.values,
      nums: param.values.flatMap((v) => decimalText(v) ?? []),
      times: param.values.map(restorePlus).filter(isDateTime),
    }
  }
  const value = single(param, 'number or date-time')
  const num = decimalText(value)
  if (num !== undefined) return { op: op as Inequality, num }
  const time = restorePlus(value)
  if (isDateTime(time)) return { op: op as Inequality, time }
  throw badValue(param.name, value, 'is neither a number nor a date-time with a time zone')
}

const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i

/**
 * The full IRIs an extension field name stands for: `prefix:name` with the prefix resolved (a
 * prefix seen with several namespaces gives several IRIs), or a full IRI as given.
 */
export function fieldNames(param: Param, field: string): string[] {
  const prefix = prefixOf(field)
  if (prefix === undefined) {
    if (IRI.test(field) && !/\s/.test(field)) return [field]
    throw ERRORS.queryParameter(`${param.name}: '${field}' is not an extension field name (prefix:name or a full IRI)`)
  }
  const namespaces = param.namespaces.get(prefix)
  if (!namespaces?.length) {
    throw ERRORS.queryParameter(
      `${param.name}: the namespace prefix '${prefix}' is declared neither in the GS1-Extensions header nor by any captured document`,
    )
  }
  const local = field.slice(prefix.length + 1)
  return namespaces.map((iri) => `${iri}${local}`)
}
