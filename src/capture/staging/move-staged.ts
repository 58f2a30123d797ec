import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../../db/database.js'
import type { RecordedElsewhere } from '../../federation/recording-organisations.js'
import type { EventToStore } from '../event-repository.js'

export interface MovedEvents {
  /** Events stored now, with their ledger leaves. */
  stored: Array<{ pk: number; leafHash: Buffer }>
  /** Staged events not stored: the organisation has an event with their identity (see identity-conflicts.ts). */
  skipped: Array<EventToStore & { position: number }>
}

/**
 * Moves a job's staged events into `event` and the tables that index it, with one statement: in insertion order
 * (insertion-order.ts), so that concurrent jobs of the same events take their locks in the same order; an event
 * the organisation already stored with the same identity, or earlier in the same job, is skipped.
 */
export async function moveStagedEvents(
  trx: Transaction<Database>,
  job: { id: number; contextId: number; organisationId: string | null; declaresForAll: boolean; recordedElsewhere?: RecordedElsewhere },
): Promise<MovedEvents> {
  const jobId = sql.lit(Math.trunc(job.id))
  const rows = await insertRows(trx, sql`SELECT * FROM capture_staged_event WHERE capture_job_id = ${jobId}`, { ...job, captureJobId: job.id })
  const stored = rows.filter((r) => r.stored).map((r) => ({ pk: Number(r.id), leafHash: r.leaf_hash }))
  const skippedKeys = rows.filter((r) => !r.stored).map((r) => Number(r.id))
  return { stored, skipped: skippedKeys.length === 0 ? [] : await readSkipped(trx, job.id, skippedKeys) }
}

/**
 * Stores one event (POST /events) with the statement a job's staged events are moved with, its row given as the
 * JSON of a capture_staged_event row (stagedEventRow) and its key taken here: a single round trip. Undefined when
 * the organisation already stored an event with its identity.
 */
export async function insertStagedRow(
  trx: Transaction<Database>,
  rowJson: string,
  refs: { contextId: number; organisationId: string | null; declaresForAll: boolean; recordedElsewhere?: RecordedElsewhere },
): Promise<{ pk: number; leafHash: Buffer } | undefined> {
  const source = sql`SELECT * FROM jsonb_populate_record(null::capture_staged_event,
    ${rowJson}::jsonb || jsonb_build_object('id', nextval('event_id_seq')))`
  const [row] = await insertRows(trx, source, { ...refs, captureJobId: null })
  return row?.stored ? { pk: Number(row.id), leafHash: row.leaf_hash } : undefined
}

/** Inserts the rows `source` selects (capture_staged_event's columns) and answers, for each, whether it was stored. */
async function insertRows(
  trx: Transaction<Database>,
  source: RawBuilder<unknown>,
  job: { captureJobId: number | null; contextId: number; organisationId: string | null; declaresForAll: boolean; recordedElsewhere?: RecordedElsewhere },
): Promise<Array<{ id: number; leaf_hash: Buffer; stored: boolean }>> {
  const jobId = job.captureJobId === null ? sql`NULL::bigint` : sql.lit(Math.trunc(job.captureJobId))
  // An event stored already with its identity by the organisation that recorded it, delivered by another path
  // (federation/recording-organisations.ts): skipped like a duplicate.
  const elsewhere = job.recordedElsewhere
    ? sql`WHERE NOT EXISTS (
        SELECT 1 FROM event d LEFT JOIN event_provenance dp ON dp.event_pk = d.id
        WHERE d.event_id = s.event_id AND d.event_hash = s.event_hash
          AND coalesce(dp.origin_organisation_id, d.organisation_id) IS NOT DISTINCT FROM
            coalesce(${JSON.stringify(job.recordedElsewhere.origins)}::jsonb ->> s.event_id, ${job.organisationId}::text))`
    : sql``
  const rows = await sql<{ id: number; leaf_hash: Buffer; stored: boolean }>`
    WITH staged AS MATERIALIZED (${source}), inserted AS (
      INSERT INTO event (id, event_id, event_hash, event_type, event_time, event_time_zone_offset, record_time, action,
        biz_step, disposition, read_point, biz_location, transformation_id, error_declaration_time, error_reason,
        capture_job_id, context_id, body, extensions, organisation_id, declares_for_all)
      SELECT s.id, s.event_id, s.event_hash, s.event_type, s.event_time, s.event_time_zone_offset, now(), s.action,
        s.biz_step, s.disposition, s.read_point, s.biz_location, s.transformation_id, s.error_declaration_time,
        s.error_reason, ${jobId}, ${job.contextId}::bigint, s.body, s.extensions, ${job.organisationId}::text,
        ${job.declaresForAll}::boolean
      FROM staged s
      ${elsewhere}
      ORDER BY s.event_id COLLATE "C", s.event_hash COLLATE "C", s.declared_key COLLATE "C"
      ON CONFLICT DO NOTHING
      RETURNING id
    ), kept AS MATERIALIZED (
      SELECT s.* FROM staged s JOIN inserted i ON i.id = s.id
    ), identifiers AS (
      INSERT INTO event_identifier (event_pk, role, identifier, quantity, uom)
      SELECT k.id, u.role, u.identifier, u.quantity, u.uom
      FROM kept k CROSS JOIN LATERAL unnest(k.identifier_roles, k.identifiers, k.quantities, k.uoms) AS u(role, identifier, quantity, uom)
    ), links AS (
      INSERT INTO event_link (event_pk, kind, type, value)
      SELECT k.id, u.kind, u.type, u.value
      FROM kept k CROSS JOIN LATERAL unnest(k.link_kinds, k.link_types, k.link_values) AS u(kind, type, value)
    ), fields AS (
      INSERT INTO event_field (event_pk, scope, name, nested, sensor_element, sensor_report, value_text, value_num, value_time)
      SELECT k.id, r.scope, r.name, r.nested, r."sensorElement", r."sensorReport", r.text, r.num, r.time
      FROM kept k CROSS JOIN LATERAL jsonb_to_recordset(k.extras -> 'fields') AS r(scope smallint, name text,
        nested boolean, "sensorElement" smallint, "sensorReport" smallint, text text, num numeric, time timestamptz)
      WHERE k.extras IS NOT NULL
    ), reports AS (
      INSERT INTO sensor_report (event_pk, sensor_element, sensor_report, type, device_id, data_processing_method,
        biz_rules, microorganism, chemical_substance, string_value, boolean_value, hex_binary_value, uri_value, time,
        start_time, end_time, uom, value, min_value, max_value, mean_value, s_dev, perc_rank, perc_value)
      SELECT k.id, r."sensorElement", r."sensorReport", r.type, r."deviceId", r."dataProcessingMethod", r."bizRules",
        r.microorganism, r."chemicalSubstance", r."stringValue", r."booleanValue", r."hexBinaryValue", r."uriValue",
        r.time, r."startTime", r."endTime", r.uom, r.value, r."minValue", r."maxValue", r."meanValue", r."sDev",
        r."percRank", r."percValue"
      FROM kept k CROSS JOIN LATERAL jsonb_to_recordset(k.extras -> 'sensorReports') AS r("sensorElement" smallint,
        "sensorReport" smallint, type text, "deviceId" text, "dataProcessingMethod" text, "bizRules" text,
        microorganism text, "chemicalSubstance" text, "stringValue" text, "booleanValue" boolean,
        "hexBinaryValue" text, "uriValue" text, time timestamptz, "startTime" timestamptz, "endTime" timestamptz,
        uom text, value numeric, "minValue" numeric, "maxValue" numeric, "meanValue" numeric, "sDev" numeric,
        "percRank" numeric, "percValue" numeric)
      WHERE k.extras IS NOT NULL
    ), dispositions AS (
      INSERT INTO event_persistent_disposition (event_pk, unset, disposition)
      SELECT k.id, r.unset, r.disposition
      FROM kept k CROSS JOIN LATERAL jsonb_to_recordset(k.extras -> 'dispositions') AS r(unset boolean, disposition text)
      WHERE k.extras IS NOT NULL
    ), lots AS (
      INSERT INTO lot_member (event_pk, instance, lot)
      SELECT k.id, r.instance, r.lot
      FROM kept k CROSS JOIN LATERAL jsonb_to_recordset(k.extras -> 'lots') AS r(instance text, lot text)
      WHERE k.extras IS NOT NULL
    )
    SELECT s.id, s.leaf_hash, i.id IS NOT NULL AS stored FROM staged s LEFT JOIN inserted i ON i.id = s.id`.execute(trx)
  return rows.rows
}

/** What findIdentityConflicts needs of the staged events a move skipped. */
async function readSkipped(trx: Transaction<Database>, jobId: number, keys: number[]): Promise<MovedEvents['skipped']> {
  const rows = await sql<{ id: number; position: number; event_id: string; event_hash: string; error_time: string | null; body: Record<string, unknown> }>`
    SELECT id, position, event_id, event_hash, error_declaration_time::text AS error_time, body
    FROM capture_staged_event WHERE capture_job_id = ${jobId} AND id = ANY(${keys}::bigint[])
    ORDER BY position`.execute(trx)
  return rows.rows.map((r) => ({
    pk: Number(r.id),
    position: r.position,
    eventId: r.event_id,
    body: r.body,
    indexed: { eventHash: r.event_hash, errorDeclarationTime: r.error_time } as EventToStore['indexed'],
  }))
}
