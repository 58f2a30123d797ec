import { createHash } from 'node:crypto'
import { ERRORS } from '../errors.js'
import type { Filter, Order, OrderDirection, ParsedQuery, SensorTest } from './filters.js'
import type { Namespaces } from './namespaces.js'
import { familyParser, prefixesUsed } from './param-families.js'
import { FIXED_PARAMETERS, type ParamParser } from './param-table.js'
import { badValue, checkText, fieldNames, nonNegativeInteger, type Param } from './param-values.js'
import { isExactNumber } from '../epcis/exact-number.js'

/** Query parameters by name, each with its values (a list is OR'ed). */
export type RawParams = Record<string, string[]>

/** Parameters that shape the result rather than select events. */
const CONTROL_PARAMETERS = ['orderBy', 'orderDirection', 'eventCountLimit', 'maxEventCount', 'perPage', 'nextPageToken']

/** The query parameters with fixed names this repository understands (the families are documented apart). */
export const QUERY_PARAMETER_NAMES = [...Object.keys(FIXED_PARAMETERS), ...CONTROL_PARAMETERS]

/** A query string as Fastify parses it: several occurrences of one parameter and pipe-separated lists both mean "any of these". */
export function paramsFromQueryString(query: Record<string, string | string[] | undefined>): RawParams {
  const raw: RawParams = Object.create(null) as RawParams
  for (const [name, given] of Object.entries(query)) {
    if (given === undefined) continue
    raw[name] = (Array.isArray(given) ? given : [given]).flatMap((v) => v.split('|')).map((v) => v.trim())
  }
  return raw
}

/**
 * A query object in the JSON form of the EPCIS query schema (named queries): arrays are lists,
 * numbers and booleans are written out, null is an EXISTS_ parameter's absent value.
 */
export function paramsFromQueryObject(query: Record<string, unknown>): RawParams {
  const raw: RawParams = Object.create(null) as RawParams
  const scalar = (name: string, value: unknown): string => {
    if (value === null) return ''
    if (typeof value === 'string') return value.trim()
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    if (isExactNumber(value)) return value.rawJSON
    throw ERRORS.queryParameter(`${name}: a value must be a string, a number, a boolean or a list of them`)
  }
  for (const [name, value] of Object.entries(query)) {
    if (name === '@context') continue
    raw[name] = Array.isArray(value) ? value.map((v) => scalar(name, v)) : [scalar(name, value)]
  }
  return raw
}

/** Every namespace prefix the parameters use, so that they can be resolved before parsing. */
export function prefixesOf(raw: RawParams): Set<string> {
  return new Set(Object.entries(raw).flatMap(([name, values]) => prefixesUsed(name, values)))
}

export interface PagingLimits {
  defaultPerPage: number
  maxPerPage: number
}

function parserFor(name: string): ParamParser {
  const parser = Object.hasOwn(FIXED_PARAMETERS, name) ? FIXED_PARAMETERS[name] : familyParser(name)
  if (!parser) throw ERRORS.queryParameter(`Unknown query parameter '${name}'`)
  return parser
}

function onlyValue(name: string, values: string[]): string {
  if (values.length !== 1) throw ERRORS.queryParameter(`${name} takes exactly one value`)
  return values[0]!
}

function orderOf(raw: RawParams, namespaces: Namespaces): Order {
  const direction = raw.orderDirection === undefined ? 'DESC' : onlyValue('orderDirection', raw.orderDirection)
  if (direction !== 'ASC' && direction !== 'DESC') throw badValue('orderDirection', direction, "is not 'ASC' or 'DESC'")
  if (raw.orderBy === undefined) return { by: 'storage' }
  const by = onlyValue('orderBy', raw.orderBy)
  if (by === 'eventTime' || by === 'recordTime') return { by, direction: direction as OrderDirection }
  if (!by.includes(':')) {
    throw badValue('orderBy', by, 'is not eventTime, recordTime or the name of an extension field (prefix:name or an IRI)')
  }
  return { by: 'field', names: fieldNames({ name: 'orderBy', values: [by], namespaces }, by), direction: direction as OrderDirection }
}

/**
 * Parses EPCIS query parameters into typed filters and result controls; any unknown parameter,
 * malformed value or forbidden combination is a QueryParameterException naming the parameter.
 */
export function parseQuery(raw: RawParams, limits: PagingLimits, namespaces: Namespaces = new Map()): ParsedQuery {
  const filters: Filter[] = []
  const sensorTests: SensorTest[] = []
  for (const [name, values] of Object.entries(raw)) {
    checkText(name, name)
    for (const value of values) checkText(name, value)
  }
  for (const name of Object.keys(raw).sort()) {
    if (CONTROL_PARAMETERS.includes(name)) continue
    const values = raw[name]!
    if (values.length === 0 || (values.some((v) => v === '') && !name.startsWith('EXISTS_'))) {
      throw ERRORS.queryParameter(`${name}: empty value`)
    }
    const result = parserFor(name)({ name, values, namespaces } satisfies Param)
    if (result && 'filter' in result) filters.push(result.filter)
    else if (result) sensorTests.push(result.sensor)
  }
  if (sensorTests.length > 0) filters.push({ kind: 'sensor', tests: sensorTests })

  let perPage = limits.defaultPerPage
  if (raw.perPage !== undefined) {
    const value = onlyValue('perPage', raw.perPage)
    if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw badValue('perPage', value, 'is not a positive integer')
    if (Number(value) > limits.maxPerPage) throw ERRORS.queryParameter(`perPage: at most ${limits.maxPerPage}`)
    perPage = Number(value)
  }
  const nextPageToken = raw.nextPageToken === undefined ? undefined : onlyValue('nextPageToken', raw.nextPageToken)
  const order = orderOf(raw, namespaces)
  const eventCountLimit =
    raw.eventCountLimit === undefined ? undefined : nonNegativeInteger('eventCountLimit', onlyValue('eventCountLimit', raw.eventCountLimit))
  const maxEventCount =
    raw.maxEventCount === undefined ? undefined : nonNegativeInteger('maxEventCount', onlyValue('maxEventCount', raw.maxEventCount))
  if (eventCountLimit !== undefined && maxEventCount !== undefined) {
    throw ERRORS.queryParameter('eventCountLimit and maxEventCount are mutually exclusive')
  }
  if (eventCountLimit !== undefined && order.by === 'storage') {
    throw ERRORS.queryParameter('eventCountLimit may only be used together with orderBy')
  }
  return { filters, order, eventCountLimit, maxEventCount, perPage, nextPageToken }
}

/** A digest of everything that selects and orders the events: page tokens are bound to it. */
export function querySignature(query: ParsedQuery, base: Filter[] = []): string {
  const { filters, order, eventCountLimit, maxEventCount } = query
  const text = JSON.stringify({ base, filters, order, eventCountLimit, maxEventCount })
  return createHash('sha256').update(text).digest('base64url').slice(0, 22)
}
