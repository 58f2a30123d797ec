/**
 * Filter -> SQL condition on the `event` row. Every condition is a sub-select on an indexed table
 * or a comparison on an indexed event column, so that the planner can start from the most
 * selective one. Values always travel as bind parameters; only fixed column names and operators
 * from the typed filters are written into the SQL text.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { FieldScope } from '../../db/tables/event-field.js'
import { CANONICAL_DL_ORIGIN } from '../../identifiers/index.js'
import type { Comparison, FieldPlace, Filter, MasterDataTarget, SensorTest, ValueTest } from '../filters.js'
import { visibleEventCondition } from '../../security/visibility.js'
import { inPublicationStates } from '../../publication/published.js'
import { declarationInEffect, shownDeclarations } from '../../security/declarations.js'
import { inComparableUnits } from '../units.js'
import { provenanceCandidates } from '../../federation/query.js'

export type Condition = RawBuilder<SqlBool>

const TRUE: Condition = sql<SqlBool>`true`
const FALSE: Condition = sql<SqlBool>`false`

export function and(parts: Condition[]): Condition {
  return parts.length === 0 ? TRUE : parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` AND `)})`
}

export function or(parts: Condition[]): Condition {
  return parts.length === 0 ? FALSE : parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`
}

/** The first 200 characters: long texts are indexed by their prefix (see migrations/0003_query.sql). */
const INDEXED_PREFIX = 200

/**
 * `column = ANY(values)` answered from an index on left(column, 200): for a value shorter than 200
 * characters, equal prefixes mean equal texts (no row needs reading); longer values also compare
 * the whole text.
 */
function textEquals(column: RawBuilder<unknown>, values: string[]): Condition {
  const short = values.filter((v) => v.length < INDEXED_PREFIX)
  const long = values.filter((v) => v.length >= INDEXED_PREFIX)
  return or([
    ...(short.length ? [sql<SqlBool>`left(${column}, 200) = ANY(${short}::text[])`] : []),
    ...(long.length
      ? [sql<SqlBool>`(left(${column}, 200) = ANY(${long.map((v) => v.slice(0, INDEXED_PREFIX))}::text[]) AND ${column} = ANY(${long}::text[]))`]
      : []),
  ])
}

/** Relative tolerance for values converted between units (floating-point rounding). */
const TOLERANCE = 1e-9

function compare(column: RawBuilder<unknown>, op: Comparison, values: string[], cast: 'numeric' | 'timestamptz'): Condition {
  if (op === '=') return sql<SqlBool>`${column} = ANY(${values}::${sql.raw(cast)}[])`
  return sql<SqlBool>`${column} ${sql.raw(op)} ${values[0]}::${sql.raw(cast)}`
}

/**
 * A number given in `uom`, compared with values recorded in that unit or a convertible one:
 * (uom = 'CEL' AND value > 8) OR (uom = 'KEL' AND value > 281.15) OR ...
 */
function measured(
  value: RawBuilder<unknown>,
  uom: RawBuilder<unknown>,
  op: Comparison,
  given: string[],
  unit: string,
  difference = false,
): Condition {
  const byUnit = new Map<string, Condition[]>()
  for (const number of given) {
    for (const converted of inComparableUnits(number, unit, difference)) {
      let condition: Condition
      if (op === '=' && converted.converted) {
        const slack = Math.abs(Number(converted.value)) * TOLERANCE + Number.EPSILON
        const low = String(Number(converted.value) - slack)
        const high = String(Number(converted.value) + slack)
        condition = sql<SqlBool>`${value} BETWEEN ${low}::numeric AND ${high}::numeric`
      } else {
        condition = compare(value, op, [converted.value], 'numeric')
      }
      byUnit.set(converted.uom, [...(byUnit.get(converted.uom) ?? []), condition])
    }
  }
  return or([...byUnit].map(([code, conditions]) => sql<SqlBool>`(${uom} = ${code} AND ${or(conditions)})`))
}

/** A test on the value of an extension-field row `f`. */
function valueCondition(test: ValueTest): Condition {
  if (test.op === 'exists') return TRUE
  if (test.op === '=') {
    return or([
      ...(test.texts.length ? [textEquals(sql`f.value_text`, test.texts)] : []),
      ...(test.nums.length ? [compare(sql`f.value_num`, '=', test.nums, 'numeric')] : []),
      ...(test.times.length ? [compare(sql`f.value_time`, '=', test.times, 'timestamptz')] : []),
    ])
  }
  return test.num !== undefined
    ? compare(sql`f.value_num`, test.op, [test.num], 'numeric')
    : compare(sql`f.value_time`, test.op, [test.time], 'timestamptz')
}

/** Rows of event_field (alias f) at this place whose value passes the test. */
export function fieldCondition(place: FieldPlace, test: ValueTest): Condition {
  return and([
    sql<SqlBool>`f.name = ANY(${place.names}::text[])`,
    sql<SqlBool>`f.scope = ${place.scope}`,
    sql<SqlBool>`f.nested = ${place.nested}`,
    valueCondition(test),
  ])
}

/**
 * SQL LIKE over canonical keys starting with an unknown digit (an SGTIN pattern's indicator digit)
 * can only use the index up to that digit; ten patterns with a literal digit each use it fully.
 */
function expandLeadingDigit(pattern: string): string[] {
  if (!pattern.startsWith(`${CANONICAL_DL_ORIGIN}/`)) return [pattern]
  const wildcard = pattern.search(/(?<!\\)[_%]/)
  if (wildcard < 0 || pattern[wildcard] !== '_') return [pattern]
  return Array.from({ length: 10 }, (_, digit) => `${pattern.slice(0, wildcard)}${digit}${pattern.slice(wildcard + 1)}`)
}

/** The given elements and their descendants in the master-data hierarchy of one vocabulary type. */
const SUBTREE_OF_MASTER_DATA = (keys: string[], vocabularyType: string) => sql`
  WITH RECURSIVE tree(key) AS (
    SELECT unnest(${keys}::text[])
    UNION
    SELECT unnest(latest.child_keys) FROM tree CROSS JOIN LATERAL (
      SELECT k.child_keys FROM vocabulary_element_key k JOIN vocabulary_element v ON v.id = k.element_pk
      WHERE k.element_key = tree.key AND v.vocabulary_type = ${vocabularyType}
      ORDER BY k.element_pk DESC LIMIT 1) AS latest
  )
  SELECT key FROM tree`

/** JSON containment patterns for "an attribute named one of `names` (with one of `values`)". */
function attributePatterns(names: string[], values: string[] | null): string[] {
  const patterns: string[] = []
  for (const id of names) {
    if (values === null) {
      patterns.push(JSON.stringify([{ id }]))
      continue
    }
    for (const value of values) {
      patterns.push(JSON.stringify([{ id, attribute: value }]))
      if (value !== '' && Number.isFinite(Number(value))) patterns.push(JSON.stringify([{ id, attribute: Number(value) }]))
      if (value === 'true' || value === 'false') patterns.push(JSON.stringify([{ id, attribute: value === 'true' }]))
    }
  }
  return patterns
}

/**
 * Master-data elements whose newest version of their vocabulary type carries the attribute: their
 * canonical key and their id as captured. With a vocabulary type (a standard field's), only
 * elements of that type count; an element of another type with the same id is another element.
 */
function masterDataElements(names: string[], values: string[] | null, vocabularyType: string | null) {
  const matches = attributePatterns(names, values).map((p) => sql<SqlBool>`v.attributes @> ${p}::jsonb`)
  const ofType = vocabularyType === null ? sql<SqlBool>`true` : sql<SqlBool>`v.vocabulary_type = ${vocabularyType}`
  return sql`
    SELECT k.element_key, v.element_id FROM vocabulary_element_key k JOIN vocabulary_element v ON v.id = k.element_pk
    WHERE ${or(matches)} AND ${ofType}
      AND NOT EXISTS (SELECT 1 FROM vocabulary_element_key newer JOIN vocabulary_element nv ON nv.id = newer.element_pk
                      WHERE newer.element_key = k.element_key AND newer.element_pk > k.element_pk
                        AND nv.vocabulary_type = v.vocabulary_type)`
}

function masterDataColumn(column: string, vocabularyType: string, names: string[], values: string[] | null): Condition {
  return sql<SqlBool>`${sql.ref(`event.${column}`)} IN (SELECT m.element_key FROM (${masterDataElements(names, values, vocabularyType)}) AS m)`
}

function masterDataField(fields: string[], names: string[], values: string[] | null): Candidates {
  return sql<{ pk: number }>`
    SELECT f.event_pk AS pk FROM event_field f
    WHERE ${fieldCondition({ scope: FieldScope.event, nested: false, names: fields }, { op: 'exists' })}
      AND f.value_text IN (SELECT unnest(ARRAY[m.element_key, m.element_id]) FROM (${masterDataElements(names, values, null)}) AS m)`
}

const LEFT_INDEXED_SENSOR_COLUMNS = new Set(['string_value', 'hex_binary_value', 'uri_value'])

function sensorCondition(test: SensorTest): Condition {
  switch (test.kind) {
    case 'exists':
      return TRUE
    case 'time':
      return compare(sql.ref(`r.${test.column}`), test.op, [test.value], 'timestamptz')
    case 'equals': {
      const column = sql.ref(`r.${test.column}`)
      if (LEFT_INDEXED_SENSOR_COLUMNS.has(test.column)) return textEquals(column, test.values)
      return sql<SqlBool>`${column} = ANY(${test.values}::text[])`
    }
    case 'boolean':
      return sql<SqlBool>`r.boolean_value = ${test.value}`
    case 'measure':
      return measured(sql.ref(`r.${test.column}`), sql`r.uom`, test.op, test.values, test.uom, test.column === 's_dev')
    case 'percRank':
      return compare(sql`r.perc_rank`, test.op, test.values, 'numeric')
    case 'field': {
      const sameReport = test.place.scope === FieldScope.sensorReport ? sql` AND f.sensor_report = r.sensor_report` : sql``
      return sql<SqlBool>`EXISTS (
        SELECT 1 FROM event_field f
        WHERE f.event_pk = r.event_pk AND f.sensor_element = r.sensor_element${sameReport}
          AND ${fieldCondition(test.place, test.test)})`
    }
  }
}

/** The keys of the events a filter on a table beside `event` selects: `SELECT ... AS pk`. */
export type Candidates = RawBuilder<{ pk: number }>

/** For filters answered from a table beside `event` (identifiers, links, fields, sensors, ...): the event keys they select. */
export function candidatesOf(filter: Filter): Candidates | undefined {
  switch (filter.kind) {
    case 'identifier': {
      const matches = [
        ...(filter.exact.length ? [sql<SqlBool>`i.identifier = ANY(${filter.exact}::text[])`] : []),
        ...filter.like.flatMap(expandLeadingDigit).map((pattern) => sql<SqlBool>`i.identifier LIKE ${pattern}`),
      ]
      return sql<{ pk: number }>`
        SELECT i.event_pk AS pk FROM event_identifier i WHERE i.role = ANY(${filter.roles}::smallint[]) AND ${or(matches)}`
    }
    case 'quantity': {
      const test =
        filter.uom === null
          ? compare(sql`i.quantity`, filter.op, filter.values, 'numeric')
          : measured(sql`i.quantity`, sql`i.uom`, filter.op, filter.values, filter.uom)
      // No `i.quantity IS NOT NULL`: the comparison implies it (so the partial quantity indexes still apply), and the
      // planner, taking the two as independent, would count the share of rows with a quantity twice.
      return sql<{ pk: number }>`SELECT i.event_pk AS pk FROM event_identifier i WHERE ${test}`
    }
    case 'link':
      return sql<{ pk: number }>`
        SELECT l.event_pk AS pk FROM event_link l
        WHERE l.value = ANY(${filter.values}::text[]) AND l.kind = ${filter.link} AND l.type = ${filter.type}`
    case 'persistentDisposition':
      return sql<{ pk: number }>`
        SELECT d.event_pk AS pk FROM event_persistent_disposition d
        WHERE d.disposition = ANY(${filter.values}::text[]) AND d.unset = ${filter.unset}`
    case 'masterData':
      return filter.target.kind === 'field' ? masterDataField(filter.target.names, filter.attributes, filter.values) : undefined
    case 'field':
      return sql<{ pk: number }>`SELECT f.event_pk AS pk FROM event_field f WHERE ${fieldCondition(filter.place, filter.test)}`
    case 'sensor':
      return sql<{ pk: number }>`SELECT r.event_pk AS pk FROM sensor_report r WHERE ${and(filter.tests.map(sensorCondition))}`
    case 'provenance':
      return provenanceCandidates(filter)
    default:
      return undefined
  }
}

/**
 * One filter as a condition on the `event` row. With `asList`, a filter on a table beside `event`
 * first collects its event keys (known to be few) and the events are then read by primary key.
 */
export function filterCondition(filter: Filter, asList = false): Condition {
  const candidates = candidatesOf(filter)
  if (candidates) {
    return asList ? sql<SqlBool>`event.id = ANY(ARRAY(${candidates}))` : sql<SqlBool>`event.id IN (${candidates})`
  }
  switch (filter.kind) {
    case 'visibleTo':
      return visibleEventCondition(filter.scope, 'event')
    case 'declarationsShownTo':
      return shownDeclarations('event', filter.organisationId)
    case 'declarationInEffect':
      return declarationInEffect('event')
    case 'eventType':
      return sql<SqlBool>`event.event_type = ANY(${filter.values}::text[])`
    case 'time':
      return compare(sql.ref(`event.${filter.column}`), filter.op, [filter.value], 'timestamptz')
    case 'equals':
      return sql<SqlBool>`${sql.ref(`event.${filter.column}`)} = ANY(${filter.values}::text[])`
    case 'exists':
      return sql<SqlBool>`event.error_declaration_time IS NOT NULL`
    case 'correctiveEventId':
      return and([
        sql<SqlBool>`event.error_declaration_time IS NOT NULL`,
        or(
          filter.values.map(
            (id) => sql<SqlBool>`(event.body -> 'errorDeclaration' -> 'correctiveEventIDs') @> ${JSON.stringify([id])}::jsonb`,
          ),
        ),
      ])
    case 'descendants':
      return sql<SqlBool>`${sql.ref(`event.${filter.column}`)} IN (${SUBTREE_OF_MASTER_DATA(filter.values, filter.vocabularyType)})`
    case 'publicationState':
      return inPublicationStates('event', filter.states)
    case 'masterData':
      return filter.target.kind === 'column'
        ? masterDataColumn(filter.target.column, filter.target.vocabularyType, filter.attributes, filter.values)
        : sql<SqlBool>`event.id IN (${masterDataField(filter.target.names, filter.attributes, filter.values)})`
    default:
      throw new Error(`no condition for a ${filter.kind} filter`)
  }
}
