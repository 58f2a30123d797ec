import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { jsonRows } from '../db/json-rows.js'
import type { EventToStore } from './event-repository.js'

type Executor = Kysely<Database> | Transaction<Database>

/** An event whose identity the organisation already stored with other content. */
export interface IdentityConflict {
  /** Position in the list given. */
  index: number
  storedEventId: string
  storedEventHash: string | null
  storedRecordTime: Date
  /** Fields the CBV 2.0 hash leaves out whose values differ (or that only one of the two has). */
  fields: string[]
}

/**
 * What the CBV 2.0 hash leaves out of an event besides eventID and recordTime (src/epcis/event-hash/pre-hash.ts), as
 * [name, SQL that reads it from a body]. Two events with the same hash and equal values here are the same event,
 * however each spelled what the hash covers (an EPC URN or a Digital Link, prefixes, list order: GS1's
 * identical-hash examples).
 */
const UNHASHED: ReadonlyArray<readonly [string, (body: RawBuilder<unknown>) => RawBuilder<unknown>]> = [
  ['certificationInfo', (body) => sql`${body} -> 'certificationInfo'`],
  ['errorDeclaration', (body) => sql`${body} -> 'errorDeclaration'`],
  ['id', (body) => sql`${body} -> 'id'`],
]

/**
 * Strings the hash trims or drops (surrounding white space, empty): an event whose values differ only so has the
 * same hash, so the strings with white space at either end, and empty ones, are compared too (as a sorted list per
 * top-level field).
 */
const BLANK_STRINGS = 'lax $.** ? (@.type() == "string" && (@ == "" || @ like_regex "^[[:space:]]|[[:space:]]$"))'

/**
 * Of the events an insert skipped (the same organisation has an event with their identity: eventID, CBV 2.0 hash
 * and declaration time), the ones that are not the same event: the stored one differs in what the hash leaves out
 * (UNHASHED; compared as PostgreSQL compares jsonb: numbers by value, keys in any order) or in BLANK_STRINGS.
 * Run after the insert in the same transaction: a concurrent capture of the identity has committed by then (the
 * insert waited for it), and this statement's snapshot sees it.
 */
export async function findIdentityConflicts(
  db: Executor,
  events: readonly EventToStore[],
  skipped: readonly number[],
  organisationId: string | null,
): Promise<IdentityConflict[]> {
  if (skipped.length === 0) return []
  const rows = skipped.map((index) => {
    const event = events[index]!
    return {
      index,
      event_id: event.eventId,
      event_hash: event.indexed.eventHash,
      error_time: event.indexed.errorDeclarationTime,
      body: event.body,
    }
  })
  const stored = sql.ref('s.body')
  const given = sql.ref('r.body')
  const differences = sql.join(
    UNHASHED.map(([name, read]) => sql`(${name}::text, ${read(stored)}, ${read(given)})`),
  )
  const blanks = (value: RawBuilder<unknown>) =>
    sql`(SELECT jsonb_agg(x ORDER BY x) FROM jsonb_path_query(${value}, ${BLANK_STRINGS}::jsonpath) AS x)`
  const found = await sql<{ index: number; event_id: string; event_hash: string | null; record_time: Date; fields: string[] }>`
    SELECT * FROM (
      SELECT DISTINCT ON (r.index) r.index, s.event_id, s.event_hash, s.record_time,
        ARRAY(
          SELECT d.name FROM (VALUES ${differences}) AS d(name, stored, given) WHERE d.stored IS DISTINCT FROM d.given
          UNION
          SELECT coalesce(a.key, b.key) FROM jsonb_each(s.body - 'recordTime') a FULL JOIN jsonb_each(r.body - 'recordTime') b
            ON a.key = b.key
          WHERE ${blanks(sql.ref('a.value'))} IS DISTINCT FROM ${blanks(sql.ref('b.value'))}
          ORDER BY 1) AS fields
      FROM ${jsonRows(rows, 'index int, event_id text, event_hash text, error_time timestamptz, body jsonb')}
      JOIN event s ON s.event_id = r.event_id AND s.event_hash = r.event_hash
        AND coalesce(s.organisation_id, '') = ${organisationId ?? ''}
        AND (s.error_declaration_time = r.error_time OR (s.error_declaration_time IS NULL AND r.error_time IS NULL))
      ORDER BY r.index, s.id) AS c
    WHERE cardinality(c.fields) > 0`.execute(db)
  return found.rows.map((row) => ({
    index: row.index,
    storedEventId: row.event_id,
    storedEventHash: row.event_hash,
    storedRecordTime: row.record_time,
    fields: row.fields,
  }))
}

/** What a client is told about a conflict. */
export function conflictMessage(conflict: IdentityConflict): string {
  return (
    `An event with this identity is already stored with other content: eventID ${conflict.storedEventId} ` +
    `(event hash ${conflict.storedEventHash}, recorded ${conflict.storedRecordTime.toISOString()}); ` +
    `these fields differ: ${conflict.fields.join(', ')}. Nothing was stored for it: an event cannot change once ` +
    'captured; give the new one its own eventID, or declare the stored one erroneous.'
  )
}
