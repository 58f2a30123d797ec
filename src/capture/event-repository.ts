import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { MasterDataElement } from '../epcis/document.js'
import type { ResolvedContext } from '../epcis/json-ld-context.js'
import type { IndexedEvent } from '../epcis/event-index.js'
import { lotMembershipsOf } from '../traceability/lot-membership.js'
import { masterDataKey } from '../query/indexing/master-data-keys.js'
import { jsonRows } from '../db/json-rows.js'
import { compareCodePoints } from '../epcis/event-hash/values.js'
import { inInsertionOrder } from './insertion-order.js'
import { chunksOf } from '../db/chunks.js'

type Executor = Kysely<Database> | Transaction<Database>

export interface EventToStore {
  eventId: string
  body: Record<string, unknown>
  indexed: IndexedEvent
  /** A key reserved for it beforehand (reserveEventKeys), so that keys follow the document however it is inserted. */
  pk?: number
}

/** `count` new event keys, ascending. */
export async function reserveEventKeys(db: Executor, count: number): Promise<number[]> {
  if (count <= 0) return []
  const reserved = await sql<{ id: number }>`SELECT nextval('event_id_seq') AS id FROM generate_series(1, ${count})`.execute(db)
  return reserved.rows.map((r) => Number(r.id))
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
  /** The events stored now, each with its key, in insertion order (see insertion-order.ts). */
  stored: Array<{ event: EventToStore; pk: number }>
  /** Positions (in the list given) of the events not stored: the same organisation has one with their identity. */
  skipped: number[]
}

/**
 * Stores events with set-based statements: one to reserve keys, one per table to insert. An event
 * whose identity (eventID, CBV 2.0 hash, declaration time) the same organisation already stored (by an
 * earlier capture, a concurrent one on another instance, or earlier in the same list) is skipped and listed
 * in `skipped`; src/capture/identity-conflicts.ts tells a repeat from a conflict.
 */
export async function insertEvents(
  db: Executor,
  given: EventToStore[],
  refs: { captureJobId: number | null; contextId: number; organisationId?: string | null; declaresForAll?: boolean },
): Promise<InsertedEvents> {
  if (given.length === 0) return { ids: [], duplicates: 0, stored: [], skipped: [] }
  // In the one order every capture inserts in, so that concurrent captures of the same events cannot deadlock.
  const reserved = given.every((e) => e.pk !== undefined) ? given.map((e) => e.pk!) : await reserveEventKeys(db, given.length)
  const events = inInsertionOrder(given.map((e, i) => ({ ...e, pk: reserved[i]! })))
  const ids = events.map((e) => e.pk)
  const rows = events.map((e, i) => ({
    id: ids[i],
    event_id: e.eventId,
    event_hash: e.indexed.eventHash,
    event_type: e.indexed.eventType,
    event_time: e.indexed.eventTime,
    tz: e.indexed.eventTimeZoneOffset,
    action: e.indexed.action,
    biz_step: e.indexed.bizStep,
    disposition: e.indexed.disposition,
    read_point: e.indexed.readPoint,
    biz_location: e.indexed.bizLocation,
    transformation_id: e.indexed.transformationId,
    error_time: e.indexed.errorDeclarationTime,
    error_reason: e.indexed.errorReason,
    body: e.body,
    extensions: e.indexed.extensions,
  }))
  const inserted = await sql<{ id: number }>`
    INSERT INTO event (id, event_id, event_hash, event_type, event_time, event_time_zone_offset, record_time, action, biz_step,
      disposition, read_point, biz_location, transformation_id, error_declaration_time, error_reason,
      capture_job_id, context_id, body, extensions, organisation_id, declares_for_all)
    SELECT r.id, r.event_id, r.event_hash, r.event_type, r.event_time, r.tz, now(), r.action, r.biz_step, r.disposition,
      r.read_point, r.biz_location, r.transformation_id, r.error_time, r.error_reason,
      ${refs.captureJobId}::bigint, ${refs.contextId}::bigint, r.body, r.extensions, ${refs.organisationId ?? null}::text,
      ${refs.declaresForAll ?? (refs.organisationId ?? null) === null}::boolean
    FROM ${jsonRows(rows, `id bigint, event_id text, event_hash text, event_type text, event_time timestamptz, tz text,
      action text, biz_step text, disposition text, read_point text, biz_location text, transformation_id text,
      error_time timestamptz, error_reason text, body jsonb, extensions jsonb`)}
    ON CONFLICT DO NOTHING
    RETURNING id`.execute(db)
  const stored = new Set(inserted.rows.map((r) => Number(r.id)))
  const kept = events.map((event, i) => ({ event, pk: ids[i]! })).filter(({ pk }) => stored.has(pk))

  const identifierRows = kept.flatMap(({ event, pk }) => event.indexed.identifiers.map((x) => ({ ...x, pk })))
  if (identifierRows.length > 0) {
    await sql`
      INSERT INTO event_identifier (event_pk, role, identifier, quantity, uom)
      SELECT r.pk, r.role, r.identifier, r.quantity, r.uom
      FROM ${jsonRows(identifierRows, 'pk bigint, role smallint, identifier text, quantity numeric, uom text')}`.execute(db)
  }
  const linkRows = kept.flatMap(({ event, pk }) => event.indexed.links.map((x) => ({ ...x, pk })))
  if (linkRows.length > 0) {
    await sql`
      INSERT INTO event_link (event_pk, kind, type, value)
      SELECT r.pk, r.kind, r.type, r.value FROM ${jsonRows(linkRows, 'pk bigint, kind smallint, type text, value text')}`.execute(db)
  }
  await insertQueryRows(db, kept)
  await insertLotMemberships(db, kept)
  // Positions in the list given, not in insertion order.
  const skipped = reserved.flatMap((pk, i) => (stored.has(pk) ? [] : [i]))
  return { ids: kept.map(({ pk }) => pk), duplicates: events.length - kept.length, stored: kept, skipped }
}

/** The lots the stored events put serials in (ILMD lotNumber, Digital Link lot qualifier), for traceability. */
async function insertLotMemberships(db: Executor, kept: Array<{ event: EventToStore; pk: number }>): Promise<void> {
  const rows = kept.flatMap(({ event, pk }) => lotMembershipsOf(event.body, event.indexed).map((m) => ({ ...m, pk })))
  if (rows.length === 0) return
  await sql`
    INSERT INTO lot_member (event_pk, instance, lot)
    SELECT r.pk, r.instance, r.lot FROM ${jsonRows(rows, 'pk bigint, instance text, lot text')}`.execute(db)
}

/** The rows the query interface reads besides identifiers and links: extension fields, sensor reports, persistent dispositions. */
async function insertQueryRows(db: Executor, kept: Array<{ event: EventToStore; pk: number }>): Promise<void> {
  const fields = kept.flatMap(({ event, pk }) => event.indexed.fields.map((x) => ({ ...x, pk })))
  if (fields.length > 0) {
    await sql`
      INSERT INTO event_field (event_pk, scope, name, nested, sensor_element, sensor_report, value_text, value_num, value_time)
      SELECT r.pk, r.scope, r.name, r.nested, r."sensorElement", r."sensorReport", r.text, r.num, r.time
      FROM ${jsonRows(fields, `pk bigint, scope smallint, name text, nested boolean, "sensorElement" smallint,
        "sensorReport" smallint, text text, num numeric, time timestamptz`)}`.execute(db)
  }
  const reports = kept.flatMap(({ event, pk }) => event.indexed.sensorReports.map((x) => ({ ...x, pk })))
  if (reports.length > 0) {
    await sql`
      INSERT INTO sensor_report (event_pk, sensor_element, sensor_report, type, device_id, data_processing_method,
        biz_rules, microorganism, chemical_substance, string_value, boolean_value, hex_binary_value, uri_value, time,
        start_time, end_time, uom, value, min_value, max_value, mean_value, s_dev, perc_rank, perc_value)
      SELECT r.pk, r."sensorElement", r."sensorReport", r.type, r."deviceId", r."dataProcessingMethod", r."bizRules",
        r.microorganism, r."chemicalSubstance", r."stringValue", r."booleanValue", r."hexBinaryValue", r."uriValue",
        r.time, r."startTime", r."endTime", r.uom, r.value, r."minValue", r."maxValue", r."meanValue", r."sDev",
        r."percRank", r."percValue"
      FROM ${jsonRows(reports, `pk bigint, "sensorElement" smallint, "sensorReport" smallint, type text, "deviceId" text,
        "dataProcessingMethod" text, "bizRules" text, microorganism text, "chemicalSubstance" text, "stringValue" text,
        "booleanValue" boolean, "hexBinaryValue" text, "uriValue" text, time timestamptz, "startTime" timestamptz,
        "endTime" timestamptz, uom text, value numeric, "minValue" numeric, "maxValue" numeric, "meanValue" numeric,
        "sDev" numeric, "percRank" numeric, "percValue" numeric`)}`.execute(db)
  }
  const dispositions = kept.flatMap(({ event, pk }) => event.indexed.persistentDispositions.map((x) => ({ ...x, pk })))
  if (dispositions.length > 0) {
    await sql`
      INSERT INTO event_persistent_disposition (event_pk, unset, disposition)
      SELECT r.pk, r.unset, r.disposition FROM ${jsonRows(dispositions, 'pk bigint, unset boolean, disposition text')}`.execute(db)
  }
}

export async function insertMasterData(
  db: Executor,
  elements: MasterDataElement[],
  captureJobId: number | null,
  organisationId: string | null = null,
): Promise<void> {
  if (elements.length === 0) return
  elements = [...elements].sort((a, b) => compareCodePoints(a.type, b.type) || compareCodePoints(a.id, b.id))
  // Seven parameters an element: a document's master data goes in runs, never past PostgreSQL's 65,535.
  for (const chunk of chunksOf(elements)) await insertMasterDataRun(db, chunk, captureJobId, organisationId)
}

async function insertMasterDataRun(
  db: Executor,
  elements: MasterDataElement[],
  captureJobId: number | null,
  organisationId: string | null,
): Promise<void> {
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
