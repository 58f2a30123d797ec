import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, Db } from '../db/database.js'
import type { PublicationRuleRow } from '../db/tables/publication-rule.js'
import type { PublicationState } from '../db/tables/event-publication.js'

type Executor = Kysely<Database> | Transaction<Database>

export interface HeldEventRow {
  event_pk: number
  event_id: string
  organisation_id: string | null
  state: PublicationState
  reasons: string[]
  details: Record<string, string[]>
  held_at: Date
  decided_at: Date | null
  event_type: string
  event_time: Date
  biz_step: string | null
  body: Record<string, unknown>
}

export interface HeldEventFilter {
  states: string[]
  organisationId?: string
  reason?: string
  from?: string
  to?: string
  /** Keyset: the event key of the previous page's last row. */
  after?: number
}

/** Events waiting for a decision (or rejected), newest first (by event key: held_at is the same for a whole capture). */
export async function listHeldEvents(db: Db, filter: HeldEventFilter, limit: number): Promise<HeldEventRow[]> {
  const rows = await sql<HeldEventRow>`
    SELECT p.event_pk, e.event_id, p.organisation_id, p.state, p.reasons, p.details, p.held_at, p.decided_at,
      e.event_type, e.event_time, e.biz_step, e.body
    FROM event_publication p JOIN event e ON e.id = p.event_pk
    WHERE p.state = ANY(${filter.states}::text[])
      ${filter.organisationId === undefined ? sql`` : sql`AND p.organisation_id = ${filter.organisationId}`}
      ${filter.reason === undefined ? sql`` : sql`AND p.reasons @> ARRAY[${filter.reason}]::text[]`}
      ${filter.from === undefined ? sql`` : sql`AND p.held_at >= ${filter.from}::timestamptz`}
      ${filter.to === undefined ? sql`` : sql`AND p.held_at < ${filter.to}::timestamptz`}
      ${filter.after === undefined ? sql`` : sql`AND p.event_pk < ${filter.after}::bigint`}
    ORDER BY p.event_pk DESC
    LIMIT ${limit}`.execute(db)
  return rows.rows
}

export interface DecidableRow {
  event_pk: number
  event_id: string
  organisation_id: string | null
  state: string
  reasons: string[]
}

/** The held or rejected events with these eventIDs (of one organisation when given), locked for the decision. */
export async function lockDecidable(trx: Transaction<Database>, eventIds: readonly string[], organisationId: string | undefined): Promise<DecidableRow[]> {
  const rows = await sql<DecidableRow>`
    SELECT p.event_pk, e.event_id, p.organisation_id, p.state, p.reasons
    FROM event_publication p JOIN event e ON e.id = p.event_pk
    WHERE e.event_id = ANY(${[...eventIds]}::text[]) AND p.state IN ('held', 'rejected')
      AND e.error_declaration_time IS NULL
      ${organisationId === undefined ? sql`` : sql`AND p.organisation_id = ${organisationId}`}
    ORDER BY p.event_pk
    FOR UPDATE OF p`.execute(trx)
  return rows.rows
}

/**
 * Decisions take this lock before their change_seq, so that they commit in change_seq order: a reader of
 * publishedByDecisionSince never sees a later decision while an earlier one is still in flight.
 */
const DECISION_LOCK_KEY = 0x6e67756f6e_0018n

export async function setStates(trx: Transaction<Database>, pks: readonly number[], state: 'published' | 'rejected', at: Date): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${DECISION_LOCK_KEY.toString()}::bigint)`.execute(trx)
  await sql`
    UPDATE event_publication SET state = ${state}, decided_at = ${at.toISOString()}::timestamptz,
      change_seq = nextval('event_publication_change_seq')
    WHERE event_pk = ANY(${[...pks]}::bigint[])`.execute(trx)
}

export interface DecisionRow {
  event_id: string
  organisation_id: string | null
  decision: 'approve' | 'reject'
  comment: string | null
  decided_by: string
  decided_at: Date
  ledger_seq: number
}

export async function decisionsOf(db: Db, eventPks: readonly number[]): Promise<Map<number, DecisionRow[]>> {
  if (eventPks.length === 0) return new Map()
  const rows = await sql<DecisionRow & { event_pk: number }>`
    SELECT d.event_pk, d.event_id, p.organisation_id, d.decision, d.comment, d.decided_by, d.decided_at, d.ledger_seq
    FROM publication_decision d LEFT JOIN event_publication p ON p.event_pk = d.event_pk
    WHERE d.event_pk = ANY(${[...eventPks]}::bigint[]) ORDER BY d.event_pk, d.id`.execute(db)
  const byEvent = new Map<number, DecisionRow[]>()
  for (const row of rows.rows) byEvent.set(row.event_pk, [...(byEvent.get(row.event_pk) ?? []), row])
  return byEvent
}

export async function setPolicy(db: Executor, organisationId: string, policy: 'auto' | 'review'): Promise<boolean> {
  const result = await db.updateTable('organisation').set({ publication_policy: policy }).where('id', '=', organisationId).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function listRules(db: Executor): Promise<PublicationRuleRow[]> {
  return db.selectFrom('publication_rule').selectAll().orderBy('id').execute()
}

export async function upsertRule(db: Executor, rule: Omit<PublicationRuleRow, 'updated_at'>): Promise<{ row: PublicationRuleRow; created: boolean }> {
  const row = await sql<PublicationRuleRow & { created: boolean }>`
    INSERT INTO publication_rule (id, biz_step, event_type, required, description)
    VALUES (${rule.id}, ${rule.biz_step}, ${rule.event_type}, ${rule.required}::text[], ${rule.description})
    ON CONFLICT (id) DO UPDATE SET biz_step = excluded.biz_step, event_type = excluded.event_type,
      required = excluded.required, description = excluded.description, updated_at = now()
    RETURNING *, (xmax = 0) AS created`.execute(db)
  const { created, ...rest } = row.rows[0]!
  return { row: rest, created }
}

export async function deleteRule(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('publication_rule').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export interface SettingsRow {
  max_event_age_days: number
  future_tolerance_seconds: number
}

export async function readSettings(db: Executor): Promise<SettingsRow> {
  const row = await sql<SettingsRow>`
    SELECT (extract(epoch FROM max_event_age) / 86400)::float8 AS max_event_age_days,
      extract(epoch FROM future_tolerance)::float8 AS future_tolerance_seconds
    FROM publication_setting LIMIT 1`.execute(db)
  return row.rows[0]!
}

export async function writeSettings(db: Executor, settings: { maxEventAgeDays?: number; futureToleranceSeconds?: number }): Promise<void> {
  await sql`
    UPDATE publication_setting SET
      max_event_age = coalesce(${settings.maxEventAgeDays ?? null}::float8 * interval '1 day', max_event_age),
      future_tolerance = coalesce(${settings.futureToleranceSeconds ?? null}::float8 * interval '1 second', future_tolerance),
      updated_at = now()`.execute(db)
}

/**
 * Events a decision published, in the order of decisions, after `afterChangeSeq`: for forwarding, whose cursor
 * (by commit order) has passed them when they were held. Their own commit order is the decision's.
 */
export async function publishedByDecisionSince(db: Executor, afterChangeSeq: number, limit: number): Promise<Array<{ eventPk: number; changeSeq: number }>> {
  const rows = await sql<{ event_pk: number; change_seq: number }>`
    SELECT event_pk, change_seq FROM event_publication
    WHERE decided_at IS NOT NULL AND change_seq > ${afterChangeSeq} AND state = 'published'
    ORDER BY change_seq LIMIT ${limit}`.execute(db)
  return rows.rows.map((r) => ({ eventPk: Number(r.event_pk), changeSeq: Number(r.change_seq) }))
}

/** The change_seq of the latest decision (0 if none): where a new push peer's decision cursor starts. */
export async function latestDecision(db: Executor): Promise<number> {
  const row = await sql<{ seq: string }>`
    SELECT coalesce(max(change_seq), 0)::text AS seq FROM event_publication WHERE decided_at IS NOT NULL`.execute(db)
  return Number(row.rows[0]!.seq)
}
