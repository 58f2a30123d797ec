/**
 * The top-level resources of the EPCIS 2.0 REST binding (/eventTypes, /epcs, /bizSteps,
 * /bizLocations, /readPoints, /dispositions): what each lists, how a member is spelled on the way
 * in and out, and which filter its /{id}/events adds.
 */
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { IdentifierRole } from '../db/tables/event-identifier.js'
import { identifierPattern } from '../epcis/canonical.js'
import { toBareWordForm } from '../epcis/cbv.js'
import { EVENT_TYPES } from '../epcis/document.js'
import { ERRORS } from '../errors.js'
import { visibleEventCondition, type VisibilityScope } from '../security/visibility.js'
import type { Filter } from './filters.js'
import { identifierKey } from './param-table.js'
import { vocabularyKey } from './values.js'

export type ResourceName = 'eventTypes' | 'epcs' | 'bizSteps' | 'bizLocations' | 'readPoints' | 'dispositions'

const INSTANCE_ROLES = [
  IdentifierRole.epc,
  IdentifierRole.parent,
  IdentifierRole.child,
  IdentifierRole.input,
  IdentifierRole.output,
]

export interface Resource {
  name: ResourceName
  /** The path parameter's name (OpenAPI and route). */
  param: string
  summary: string
  /** Whether members are identifiers (written per GS1-EPC-Format on the way out). */
  identifiers: boolean
  /** A member as the client wrote it -> its stored key (400 when it cannot be one). */
  key(value: string): string
  /** A stored key -> the member as listed (CBV values as bare words). */
  member(key: string): string
  /** The filter of /{id}/events. */
  filter(value: string): Filter
}

const column = (name: 'event_type' | 'biz_step' | 'disposition' | 'biz_location' | 'read_point') => sql.ref(`event.${name}`)
const EVENT_COLUMNS = {
  eventTypes: 'event_type',
  bizSteps: 'biz_step',
  dispositions: 'disposition',
  bizLocations: 'biz_location',
  readPoints: 'read_point',
} as const

export const RESOURCES: Record<ResourceName, Resource> = {
  eventTypes: {
    name: 'eventTypes',
    param: 'eventType',
    summary: 'event types',
    identifiers: false,
    key: (value) => value,
    member: (key) => key,
    filter: (value) => ({ kind: 'eventType', values: [value] }),
  },
  epcs: {
    name: 'epcs',
    param: 'epc',
    summary: 'EPCs (instance-level identifiers in epcList, parentID, childEPCs, inputEPCList, outputEPCList)',
    identifiers: true,
    key: (value) => identifierKey('epc', value),
    member: (key) => key,
    filter: (value) => {
      let match: { exact: string } | { like: string }
      try {
        match = identifierPattern(value, 'instance')
      } catch (error) {
        throw ERRORS.queryParameter(`epc: '${value}' is not a valid identifier or pattern: ${(error as Error).message}`)
      }
      return 'exact' in match
        ? { kind: 'identifier', roles: INSTANCE_ROLES, exact: [match.exact], like: [] }
        : { kind: 'identifier', roles: INSTANCE_ROLES, exact: [], like: [match.like] }
    },
  },
  bizSteps: {
    name: 'bizSteps',
    param: 'bizStep',
    summary: 'business steps',
    identifiers: false,
    key: (value) => vocabularyKey('bizStep', value),
    member: (key) => toBareWordForm('bizStep', key),
    filter: (value) => ({ kind: 'equals', column: 'biz_step', values: [vocabularyKey('bizStep', value)] }),
  },
  dispositions: {
    name: 'dispositions',
    param: 'disposition',
    summary: 'dispositions',
    identifiers: false,
    key: (value) => vocabularyKey('disposition', value),
    member: (key) => toBareWordForm('disposition', key),
    filter: (value) => ({ kind: 'equals', column: 'disposition', values: [vocabularyKey('disposition', value)] }),
  },
  bizLocations: {
    name: 'bizLocations',
    param: 'bizLocation',
    summary: 'business locations',
    identifiers: true,
    key: (value) => identifierKey('bizLocation', value),
    member: (key) => key,
    filter: (value) => ({ kind: 'equals', column: 'biz_location', values: [identifierKey('bizLocation', value)] }),
  },
  readPoints: {
    name: 'readPoints',
    param: 'readPoint',
    summary: 'read points',
    identifiers: true,
    key: (value) => identifierKey('readPoint', value),
    member: (key) => key,
    filter: (value) => ({ kind: 'equals', column: 'read_point', values: [identifierKey('readPoint', value)] }),
  },
}

/** Keys of events the caller may see only (visibility undefined: every event). */
const visibleEvent = (visibility: VisibilityScope | undefined) => (visibility ? visibleEventCondition(visibility, 'event') : sql`true`)
const fromVisibleEvent = (visibility: VisibilityScope | undefined) =>
  visibility ? sql`AND EXISTS (SELECT 1 FROM event WHERE event.id = i.event_pk AND ${visibleEvent(visibility)})` : sql``

/**
 * Distinct stored keys after `after`, ascending: a loose index scan, one index probe per distinct
 * value, so listing the few hundred bizSteps of a hundred million events stays cheap. Keys that only
 * events hidden from the caller hold are skipped (the probe goes on to the next visible one).
 */
export async function distinctKeys(
  db: Db,
  name: ResourceName,
  after: string,
  limit: number,
  visibility?: VisibilityScope,
): Promise<string[]> {
  if (name === 'epcs') {
    const next = (than: unknown) => sql`
      SELECT i.identifier FROM event_identifier i
      WHERE i.identifier > ${than} AND i.role = ANY(${INSTANCE_ROLES}::smallint[]) ${fromVisibleEvent(visibility)}
      ORDER BY i.identifier LIMIT 1`
    const result = await sql<{ value: string }>`
      WITH RECURSIVE v(value) AS (
        (${next(after)})
        UNION ALL
        SELECT (${next(sql`v.value`)})
        FROM v WHERE v.value IS NOT NULL)
      SELECT value FROM v WHERE value IS NOT NULL LIMIT ${limit}`.execute(db)
    return result.rows.map((r) => r.value)
  }
  const col = column(EVENT_COLUMNS[name])
  const visible = visibleEvent(visibility)
  const result = await sql<{ value: string }>`
    WITH RECURSIVE v(value) AS (
      (SELECT ${col} FROM event WHERE ${col} > ${after} AND ${visible} ORDER BY ${col} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${col} FROM event WHERE ${col} > v.value AND ${visible} ORDER BY ${col} LIMIT 1) FROM v WHERE v.value IS NOT NULL)
    SELECT value FROM v WHERE value IS NOT NULL LIMIT ${limit}`.execute(db)
  return result.rows.map((r) => r.value)
}

/** Whether any event the caller may see has this key (the standard event types always exist). */
export async function keyExists(db: Db, name: ResourceName, key: string, visibility?: VisibilityScope): Promise<boolean> {
  if (name === 'eventTypes' && (EVENT_TYPES as readonly string[]).includes(key)) return true
  if (name === 'epcs') {
    const found = await sql`
      SELECT 1 FROM event_identifier i
      WHERE i.identifier = ${key} AND i.role = ANY(${INSTANCE_ROLES}::smallint[]) ${fromVisibleEvent(visibility)} LIMIT 1`.execute(db)
    return found.rows.length > 0
  }
  const col = column(EVENT_COLUMNS[name])
  return (await sql`SELECT 1 FROM event WHERE ${col} = ${key} AND ${visibleEvent(visibility)} LIMIT 1`.execute(db)).rows.length > 0
}

/** /eventTypes lists the five standard types even before any event of theirs is stored. */
export async function listKeys(
  db: Db,
  name: ResourceName,
  after: string,
  limit: number,
  visibility?: VisibilityScope,
): Promise<string[]> {
  const stored = await distinctKeys(db, name, after, limit, visibility)
  if (name !== 'eventTypes') return stored
  const all = [...new Set([...EVENT_TYPES.filter((t) => t > after), ...stored])].sort()
  return all.slice(0, limit)
}
