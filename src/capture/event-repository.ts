import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { MasterDataElement } from '../epcis/document.js'
import type { ResolvedContext } from '../epcis/json-ld-context.js'
import type { IndexedEvent } from '../epcis/event-index.js'
import { lotMembershipsOf } from '../traceability/lot-membership.js'
import { masterDataKey } from '../query/indexing/master-data-keys.js'

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
  if (row.rows[0]) return row.rows[0].id
  // Another transaction inserted this context after this statement's snapshot was taken: the INSERT waited for it to
  // commit and did nothing, and the SELECT above could not see its row. A new statement (READ COMMITTED) does.
  const committed = await sql<{ id: number }>`SELECT id FROM document_context WHERE digest = ${context.digest}`.execute(db)
  return committed.rows[0]!.id
}

export interface InsertedEvents {
  /** Keys of the events stored now; an event already stored (same eventID and hash) is skipped. */
  ids: number[]
  /** How many of the given events were already stored. */
  duplicates: number
  /** The events stored now, each with its key, in the order given. */
  stored: Array<{ event: EventToStore; pk: number }>
}

/**
 * Stores events with set-based statements: one to reserve keys, one per table to insert. An event
 * already stored with the same eventID and CBV 2.0 hash (by an earlier capture, a concurrent one on
 * another instance, or earlier in the same list) is skipped: capture is idempotent.
 */
export async function insertEvents(
  db: Executor,
  events: EventToStore[],
  refs: { captureJobId: number | null; contextId: number; organisationId?: string | null },
): Promise<InsertedEvents> {
  if (events.length === 0) return { ids: [], duplicates: 0, stored: [] }
  const reserved = await sql<{ id: number; now: Date }>`
    SELECT nextval('event_id_seq') AS id, now() AS now FROM generate_series(1, ${events.length})`.execute(db)
  const ids = reserved.rows.map((r) => Number(r.id))
  const column = <T>(pick: (e: EventToStore) => T) => events.map(pick)
  const inserted = await sql<{ id: number }>`
    INSERT INTO event (id, event_id, event_hash, event_type, event_time, event_time_zone_offset, record_time, action, biz_step,
      disposition, read_point, biz_location, transformation_id, error_declaration_time, error_reason,
      capture_job_id, context_id, body, extensions, organisation_id)
    SELECT u.id, u.event_id, u.event_hash, u.event_type, u.event_time, u.tz, now(), u.action, u.biz_step, u.disposition,
      u.read_point, u.biz_location, u.transformation_id, u.error_time, u.error_reason,
      ${refs.captureJobId}::bigint, ${refs.contextId}::bigint, u.body::jsonb, u.extensions::jsonb,
      ${refs.organisationId ?? null}::text
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
  await insertQueryRows(db, kept)
  await insertLotMemberships(db, kept)
  return { ids: kept.map(({ pk }) => pk), duplicates: events.length - kept.length, stored: kept }
}

/** The lots the stored events put serials in (ILMD lotNumber, Digital Link lot qualifier), for traceability. */
async function insertLotMemberships(db: Executor, kept: Array<{ event: EventToStore; pk: number }>): Promise<void> {
  const rows = kept.flatMap(({ event, pk }) => lotMembershipsOf(event.body, event.indexed).map((m) => ({ ...m, pk })))
  if (rows.length === 0) return
  await sql`
    INSERT INTO lot_member (event_pk, instance, lot)
    SELECT * FROM unnest(${rows.map((r) => r.pk)}::bigint[], ${rows.map((r) => r.instance)}::text[],
      ${rows.map((r) => r.lot)}::text[])`.execute(db)
}

/** The rows the query interface reads besides identifiers and links: extension fields, sensor reports, persistent dispositions. */
async function insertQueryRows(db: Executor, kept: Array<{ event: EventToStore; pk: number }>): Promise<void> {
  const fields = kept.flatMap(({ event, pk }) => event.indexed.fields.map((x) => ({ ...x, pk })))
  if (fields.length > 0) {
    await sql`
      INSERT INTO event_field (event_pk, scope, name, nested, sensor_element, sensor_report, value_text, value_num, value_time)
      SELECT * FROM unnest(${fields.map((r) => r.pk)}::bigint[], ${fields.map((r) => r.scope)}::smallint[],
        ${fields.map((r) => r.name)}::text[], ${fields.map((r) => r.nested)}::boolean[],
        ${fields.map((r) => r.sensorElement)}::smallint[], ${fields.map((r) => r.sensorReport)}::smallint[],
        ${fields.map((r) => r.text)}::text[], ${fields.map((r) => r.num)}::numeric[],
        ${fields.map((r) => r.time)}::timestamptz[])`.execute(db)
  }
  const reports = kept.flatMap(({ event, pk }) => event.indexed.sensorReports.map((x) => ({ ...x, pk })))
  if (reports.length > 0) {
    const col = <T>(pick: (r: (typeof reports)[number]) => T) => reports.map(pick)
    await sql`
      INSERT INTO sensor_report (event_pk, sensor_element, sensor_report, type, device_id, data_processing_method,
        biz_rules, microorganism, chemical_substance, string_value, boolean_value, hex_binary_value, uri_value, time,
        start_time, end_time, uom, value, min_value, max_value, mean_value, s_dev, perc_rank, perc_value)
      SELECT * FROM unnest(${col((r) => r.pk)}::bigint[], ${col((r) => r.sensorElement)}::smallint[],
        ${col((r) => r.sensorReport)}::smallint[], ${col((r) => r.type)}::text[], ${col((r) => r.deviceId)}::text[],
        ${col((r) => r.dataProcessingMethod)}::text[], ${col((r) => r.bizRules)}::text[],
        ${col((r) => r.microorganism)}::text[], ${col((r) => r.chemicalSubstance)}::text[],
        ${col((r) => r.stringValue)}::text[], ${col((r) => r.booleanValue)}::boolean[],
        ${col((r) => r.hexBinaryValue)}::text[], ${col((r) => r.uriValue)}::text[], ${col((r) => r.time)}::timestamptz[],
        ${col((r) => r.startTime)}::timestamptz[], ${col((r) => r.endTime)}::timestamptz[], ${col((r) => r.uom)}::text[],
        ${col((r) => r.value)}::numeric[], ${col((r) => r.minValue)}::numeric[], ${col((r) => r.maxValue)}::numeric[],
        ${col((r) => r.meanValue)}::numeric[], ${col((r) => r.sDev)}::numeric[], ${col((r) => r.percRank)}::numeric[],
        ${col((r) => r.percValue)}::numeric[])`.execute(db)
  }
  const dispositions = kept.flatMap(({ event, pk }) => event.indexed.persistentDispositions.map((x) => ({ ...x, pk })))
  if (dispositions.length > 0) {
    await sql`
      INSERT INTO event_persistent_disposition (event_pk, unset, disposition)
      SELECT * FROM unnest(${dispositions.map((r) => r.pk)}::bigint[], ${dispositions.map((r) => r.unset)}::boolean[],
        ${dispositions.map((r) => r.disposition)}::text[])`.execute(db)
  }
}

export async function insertMasterData(
  db: Executor,
  elements: MasterDataElement[],
  captureJobId: number | null,
  organisationId: string | null = null,
): Promise<void> {
  if (elements.length === 0) return
  const reserved = await sql<{ id: number }>`
    SELECT nextval('vocabulary_element_id_seq') AS id FROM generate_series(1, ${elements.length})`.execute(db)
  await db
    .insertInto('vocabulary_element')
    .values(
      elements.map((e, i) => ({
        id: reserved.rows[i]!.id,
        vocabulary_type: e.type,
        element_id: e.id,
        attributes: JSON.stringify(e.attributes),
        children: e.children,
        capture_job_id: captureJobId,
        organisation_id: organisationId,
      })),
    )
    .execute()
  await db
    .insertInto('vocabulary_element_key')
    .values(
      elements.map((e, i) => ({
        element_pk: reserved.rows[i]!.id,
        element_key: masterDataKey(e.type, e.id),
        child_keys: e.children.map((child) => masterDataKey(e.type, child)),
      })),
    )
    .execute()
}
