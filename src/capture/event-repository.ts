import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { MasterDataElement } from '../epcis/document.js'
import type { ResolvedContext } from '../epcis/json-ld-context.js'
import type { IndexedEvent } from '../epcis/event-index.js'

type Executor = Kysely<Database> | Transaction<Database>

export interface EventToStore {
  eventId: string
  body: Record<string, unknown>
  indexed: IndexedEvent
}

/** The id of the stored context row, inserting it the first time this context is seen. */
export async function upsertContext(db: Executor, context: ResolvedContext): Promise<number> {
  const row = await sql<{ id: number }>`
    WITH inserted AS (
      INSERT INTO document_context (digest, context, namespaces)
      VALUES (${context.digest}, ${JSON.stringify(context.context)}::jsonb, ${JSON.stringify(context.namespaces)}::jsonb)
      ON CONFLICT (digest) DO NOTHING
      RETURNING id
    )
    SELECT id FROM inserted UNION ALL SELECT id FROM document_context WHERE digest = ${context.digest}
    LIMIT 1`.execute(db)
  return row.rows[0]!.id
}

export interface InsertedEvents {
  /** Keys of the events stored now; an event already stored (same eventID and hash) is skipped. */
  ids: number[]
  /** How many of the given events were already stored. */
  duplicates: number
}

/**
 * Stores events with set-based statements: one to reserve keys, one per table to insert. An event
 * already stored with the same eventID and CBV 2.0 hash (by an earlier capture, a concurrent one on
 * another instance, or earlier in the same list) is skipped: capture is idempotent.
 */
export async function insertEvents(
  db: Executor,
  events: EventToStore[],
  refs: { captureJobId: number | null; contextId: number },
): Promise<InsertedEvents> {
  if (events.length === 0) return { ids: [], duplicates: 0 }
  const reserved = await sql<{ id: number; now: Date }>`
    SELECT nextval('event_id_seq') AS id, now() AS now FROM generate_series(1, ${events.length})`.execute(db)
  const ids = reserved.rows.map((r) => Number(r.id))
  const column = <T>(pick: (e: EventToStore) => T) => events.map(pick)
  const inserted = await sql<{ id: number }>`
    INSERT INTO event (id, event_id, event_hash, event_type, event_time, event_time_zone_offset, record_time, action, biz_step,
      disposition, read_point, biz_location, transformation_id, error_declaration_time, error_reason,
      capture_job_id, context_id, body, extensions)
    SELECT u.id, u.event_id, u.event_hash, u.event_type, u.event_time, u.tz, now(), u.action, u.biz_step, u.disposition,
      u.read_point, u.biz_location, u.transformation_id, u.error_time, u.error_reason,
      ${refs.captureJobId}::bigint, ${refs.contextId}::bigint, u.body::jsonb, u.extensions::jsonb
    FROM unnest(
      ${ids}::bigint[], ${column((e) => e.eventId)}::text[], ${column((e) => e.indexed.eventHash)}::text[],
      ${column((e) => e.indexed.eventType)}::text[],
      ${column((e) => e.indexed.eventTime)}::timestamptz[], ${column((e) => e.indexed.eventTimeZoneOffset)}::text[],
      ${column((e) => e.indexed.action)}::text[], ${column((e) => e.indexed.bizStep)}::text[],
      ${column((e) => e.indexed.disposition)}::text[], ${column((e) => e.indexed.readPoint)}::text[],
      ${column((e) => e.indexed.bizLocation)}::text[], ${column((e) => e.indexed.transformationId)}::text[],
      ${column((e) => e.indexed.errorDeclarationTime)}::timestamptz[], ${column((e) => e.indexed.errorReason)}::text[],
      ${column((e) => JSON.stringify(e.body))}::text[],
      ${column((e) => (e.indexed.extensions ? JSON.stringify(e.indexed.extensions) : null))}::text[]
    ) AS u(id, event_id, event_hash, event_type, event_time, tz, action, biz_step, disposition, read_point,
      biz_location, transformation_id, error_time, error_reason, body, extensions)
    ON CONFLICT DO NOTHING
    RETURNING id`.execute(db)
  const stored = new Set(inserted.rows.map((r) => Number(r.id)))
  const kept = events.map((event, i) => ({ event, pk: ids[i]! })).filter(({ pk }) => stored.has(pk))

  const identifierRows = kept.flatMap(({ event, pk }) => event.indexed.identifiers.map((x) => ({ ...x, pk })))
  if (identifierRows.length > 0) {
    await sql`
      INSERT INTO event_identifier (event_pk, role, identifier, quantity, uom)
      SELECT * FROM unnest(${identifierRows.map((r) => r.pk)}::bigint[], ${identifierRows.map((r) => r.role)}::smallint[],
        ${identifierRows.map((r) => r.identifier)}::text[], ${identifierRows.map((r) => r.quantity)}::numeric[],
        ${identifierRows.map((r) => r.uom)}::text[])`.execute(db)
  }
  const linkRows = kept.flatMap(({ event, pk }) => event.indexed.links.map((x) => ({ ...x, pk })))
  if (linkRows.length > 0) {
    await sql`
      INSERT INTO event_link (event_pk, kind, type, value)
      SELECT * FROM unnest(${linkRows.map((r) => r.pk)}::bigint[], ${linkRows.map((r) => r.kind)}::smallint[],
        ${linkRows.map((r) => r.type)}::text[], ${linkRows.map((r) => r.value)}::text[])`.execute(db)
  }
  return { ids: kept.map(({ pk }) => pk), duplicates: events.length - kept.length }
}

export async function insertMasterData(
  db: Executor,
  elements: MasterDataElement[],
  captureJobId: number | null,
): Promise<void> {
  if (elements.length === 0) return
  await db
    .insertInto('vocabulary_element')
    .values(
      elements.map((e) => ({
        vocabulary_type: e.type,
        element_id: e.id,
        attributes: JSON.stringify(e.attributes),
        children: e.children,
        capture_job_id: captureJobId,
      })),
    )
    .execute()
}
