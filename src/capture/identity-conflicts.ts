import { sql, type Kysely, type Transaction } from 'kysely'
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
  /** Top-level fields whose values differ (or that only one of the two has). */
  fields: string[]
}

/**
 * Of the events an insert skipped (the same organisation has an event with their identity: eventID, CBV 2.0 hash
 * and declaration time), the ones whose content differs from the stored event's. The CBV 2.0 hash leaves some
 * fields out (certificationInfo, errorDeclaration, ...), so the same identity does not mean the same event: a repeat is
 * a duplicate only when the whole body is the same (as PostgreSQL compares jsonb: numbers by value, keys in any
 * order). recordTime is the repository's, not the event's: it is left out.
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
  const found = await sql<{ index: number; event_id: string; event_hash: string | null; record_time: Date; fields: string[] }>`
    SELECT DISTINCT ON (r.index) r.index, s.event_id, s.event_hash, s.record_time,
      ARRAY(
        SELECT coalesce(a.key, b.key) FROM jsonb_each(s.body - 'recordTime') a
        FULL JOIN jsonb_each(r.body - 'recordTime') b ON a.key = b.key
        WHERE a.value IS DISTINCT FROM b.value
        ORDER BY 1) AS fields
    FROM ${jsonRows(rows, 'index int, event_id text, event_hash text, error_time timestamptz, body jsonb')}
    JOIN event s ON s.event_id = r.event_id AND s.event_hash = r.event_hash
      AND coalesce(s.organisation_id, '') = ${organisationId ?? ''}
      AND (s.error_declaration_time = r.error_time OR (s.error_declaration_time IS NULL AND r.error_time IS NULL))
    WHERE (s.body - 'recordTime') <> (r.body - 'recordTime')
    ORDER BY r.index, s.id`.execute(db)
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
