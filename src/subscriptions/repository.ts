/** All SQL of subscriptions and of the delivery engine's cursor, as plain functions over Kysely. */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely'
import type { Database, Db } from '../db/database.js'
import type { NewSubscription, SubscriptionRow } from '../db/tables/subscription.js'
import type { Filter } from '../query/filters.js'
import { and, filterCondition } from '../query/sql/conditions.js'

type Executor = Kysely<Database> | Transaction<Database>

export async function insertSubscription(db: Executor, row: NewSubscription): Promise<SubscriptionRow> {
  return db.insertInto('subscription').values(row).returningAll().executeTakeFirstOrThrow()
}

/** `organisationId` undefined: any organisation's (an operator). */
export async function findSubscription(db: Db, queryName: string, id: string, organisationId?: string | null): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom('subscription')
    .selectAll()
    .where('query_name', '=', queryName)
    .where('id', '=', id)
    .$if(organisationId !== undefined, (q) => q.where(sql<boolean>`organisation_id IS NOT DISTINCT FROM ${organisationId}`))
    .executeTakeFirst()
}

export async function listSubscriptions(
  db: Db,
  queryName: string,
  organisationId: string | null | undefined,
  after: { createdAt: string; id: string } | undefined,
  limit: number,
): Promise<SubscriptionRow[]> {
  return db
    .selectFrom('subscription')
    .selectAll()
    .where('query_name', '=', queryName)
    .$if(organisationId !== undefined, (q) => q.where(sql<boolean>`organisation_id IS NOT DISTINCT FROM ${organisationId}`))
    .$if(after !== undefined, (q) => q.where(sql<boolean>`(created_at, id) > (${after!.createdAt}::timestamptz, ${after!.id}::uuid)`))
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute()
}

export async function deleteSubscription(db: Db, queryName: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('subscription').where('query_name', '=', queryName).where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/**
 * The delivery watermark: the oldest transaction still in flight. Every event of a transaction
 * below it is committed (or rolled back) and any event stored later gets a larger commit_xid.
 */
export async function currentWatermark(db: Executor): Promise<string> {
  const result = await sql<{ xmin: string }>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`.execute(db)
  return result.rows[0]!.xmin
}

/** A position in the delivery order (commit_xid, id): the last event a receiver took. */
export interface Cursor {
  xid: string
  pk: number
}

export interface BatchRequest {
  filters: Filter[]
  after: Cursor
  minRecordTime: Date
  limit: number
}

/** An event in delivery order; its body is read (once for every subscription) when the delivery is written. */
export interface DeliverableRow {
  id: number
  event_id: string
  record_time: Date
  xid: string
}

/** The next events after the cursor in delivery order, below the watermark, matching every filter. */
export async function readBatch(db: Db, request: BatchRequest): Promise<DeliverableRow[]> {
  const conditions = and([
    sql<SqlBool>`(event.commit_xid, event.id) > (${request.after.xid}::xid8, ${request.after.pk}::bigint)`,
    sql<SqlBool>`event.commit_xid < pg_snapshot_xmin(pg_current_snapshot())`,
    sql<SqlBool>`event.record_time >= ${request.minRecordTime.toISOString()}::timestamptz`,
    ...request.filters.map((filter) => filterCondition(filter)),
  ])
  const result = await sql<DeliverableRow>`
    SELECT event.id, event.event_id, event.record_time, event.commit_xid::text AS xid
    FROM event
    WHERE ${conditions}
    ORDER BY event.commit_xid, event.id
    LIMIT ${request.limit}`.execute(db)
  return result.rows
}

/**
 * Of the events `ids`, those at or after `minRecordTime` matching every filter, in the order of `ids`
 * (a destination's events from elsewhere than the cursor: a push peer's events published by a decision).
 */
export async function matchingEvents(db: Db, ids: number[], minRecordTime: Date, filters: Filter[]): Promise<DeliverableRow[]> {
  if (ids.length === 0) return []
  const conditions = and([
    sql<SqlBool>`event.id = ANY(${ids}::bigint[])`,
    sql<SqlBool>`event.record_time >= ${minRecordTime.toISOString()}::timestamptz`,
    ...filters.map((filter) => filterCondition(filter)),
  ])
  const result = await sql<DeliverableRow>`
    SELECT event.id, event.event_id, event.record_time, event.commit_xid::text AS xid
    FROM event WHERE ${conditions}`.execute(db)
  const byId = new Map(result.rows.map((row) => [Number(row.id), row]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

/**
 * The watermark, and whether committed events wait at or above it (a transaction that took its id
 * earlier is still open): they become deliverable when the watermark moves.
 */
export async function watermarkState(db: Db): Promise<{ watermark: string; waiting: boolean }> {
  const result = await sql<{ watermark: string; waiting: boolean }>`
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS watermark,
      coalesce((SELECT commit_xid FROM event ORDER BY commit_xid DESC, id DESC LIMIT 1)
        >= pg_snapshot_xmin(pg_current_snapshot()), false) AS waiting`.execute(db)
  return result.rows[0]!
}

/**
 * Takes up to `limit` subscriptions whose time has come (scheduled, or backed off after a failure) and
 * that no instance holds, for `leaseMs`. SKIP LOCKED lets instances claiming at once take different
 * ones. Streams at rest (no next attempt) are found by scanNewEvents and taken by claimStreams.
 */
export async function claimDueSubscriptions(db: Db, owner: string, leaseMs: number, limit: number, busy: string[]): Promise<SubscriptionRow[]> {
  if (limit <= 0) return []
  const result = await sql<SubscriptionRow>`
    UPDATE subscription SET lease_owner = ${owner}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id IN (
      SELECT id FROM subscription
      WHERE (lease_expires_at IS NULL OR lease_expires_at < now())
        AND next_attempt_at <= now()
        AND NOT (id = ANY(${busy}::uuid[]))
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db)
  return result.rows
}

/** Stream subscriptions at rest (no next attempt pending) that no instance holds, but for `busy`. */
export async function restingStreams(db: Db, busy: string[]): Promise<SubscriptionRow[]> {
  const result = await sql<SubscriptionRow>`
    SELECT * FROM subscription
    WHERE stream AND next_attempt_at IS NULL AND (lease_expires_at IS NULL OR lease_expires_at < now())
      AND NOT (id = ANY(${busy}::uuid[]))
    ORDER BY id`.execute(db)
  return result.rows
}

/** One reader of scanNewEvents: its position, its initialRecordTime and its filters. */
export interface ScanReader {
  after: Cursor
  minRecordTime: Date
  filters: Filter[]
}

/** An event of a scan: which readers (indexes into the request's readers) take it. */
export interface ScannedRow extends DeliverableRow {
  readers: number[]
}

/**
 * The events after `from` (and up to `upTo`, if given) in delivery order, below the watermark, at most `limit` of them, read once
 * for many readers: each row names the readers whose position it is past and whose filters it
 * matches (the same conditions as readBatch). Rows no reader takes come back too (with readers
 * empty), so that the last row tells how far the scan went. A filter that several readers share (the
 * visibility of one audience, the same bizStep) is planned and evaluated once per event, not once per reader.
 *
 * Readers are grouped by the shared filter that the fewest of them use: an event that fails it skips the whole
 * group, and only the groups it passes add their readers to its list (a hundred streams over seven bizSteps look at
 * fourteen readers per event, not a hundred).
 */
export async function scanNewEvents(db: Db, from: Cursor, limit: number, readers: ScanReader[], upTo?: Cursor): Promise<ScannedRow[]> {
  const keyed = readers.map((reader) => new Map(reader.filters.map((filter) => [JSON.stringify(filter), filter])))
  const uses = new Map<string, { filter: Filter; readers: number }>()
  for (const filters of keyed) {
    for (const [key, filter] of filters) uses.set(key, { filter, readers: (uses.get(key)?.readers ?? 0) + 1 })
  }
  const shared = [...uses].filter(([, use]) => use.readers > 1)
  const column = new Map(shared.map(([key], index) => [key, sql.raw(`s.f${index}`)]))
  const groups = new Map<string, RawBuilder<unknown>[]>()
  keyed.forEach((filters, index) => {
    const reader = readers[index]!
    const sharedKeys = [...filters.keys()].filter((key) => column.has(key))
    const group = sharedKeys.reduce<string | undefined>((best, key) => (best === undefined || uses.get(key)!.readers < uses.get(best)!.readers ? key : best), undefined) ?? ''
    const condition = and([
      ...sharedKeys.filter((key) => key !== group).map((key) => sql<SqlBool>`${column.get(key)!}`),
      // Past `from` is the scan's own condition.
      ...(reader.after.xid === from.xid && reader.after.pk === from.pk
        ? []
        : [sql<SqlBool>`(event.commit_xid, event.id) > (${reader.after.xid}::xid8, ${reader.after.pk}::bigint)`]),
      sql<SqlBool>`event.record_time >= ${reader.minRecordTime.toISOString()}::timestamptz`,
      ...[...filters].filter(([key]) => !column.has(key)).map(([, filter]) => filterCondition(filter)),
    ])
    if (!groups.has(group)) groups.set(group, [])
    groups.get(group)!.push(sql`CASE WHEN ${condition} THEN ${sql.raw(String(index))} END`)
  })
  const lists = [...groups].map(([group, cases]) => {
    const list = sql`ARRAY[${sql.join(cases)}]::int[]`
    return group === '' ? list : sql`CASE WHEN ${column.get(group)!} THEN ${list} END`
  })
  const sharedColumns = shared.length
    ? sql`CROSS JOIN LATERAL (SELECT ${sql.join(shared.map(([, use], index) => sql`${filterCondition(use.filter)} AS ${sql.raw(`f${index}`)}`))} OFFSET 0) s`
    : sql``
  // OFFSET 0 keeps each lateral a subquery of its own, computed once per event (not once per use).
  // The readers come as the array's text and are read here: a thousand rows of pg's array parsing (a string per element) were a
  // tenth of what a delivery allocated.
  const result = await sql<DeliverableRow & { readers: string }>`
    SELECT event.id, event.commit_xid::text AS xid, m.readers::text AS readers,
      CASE WHEN m.readers <> '{}' THEN event.event_id END AS event_id,
      CASE WHEN m.readers <> '{}' THEN event.record_time END AS record_time
    FROM event
    ${sharedColumns}
    CROSS JOIN LATERAL (SELECT coalesce(array_remove(${concatenated(lists)}, NULL), '{}') AS readers OFFSET 0) m
    WHERE (event.commit_xid, event.id) > (${from.xid}::xid8, ${from.pk}::bigint)
      AND event.commit_xid < pg_snapshot_xmin(pg_current_snapshot())
      ${upTo ? sql`AND (event.commit_xid, event.id) <= (${upTo.xid}::xid8, ${upTo.pk}::bigint)` : sql``}
    ORDER BY event.commit_xid, event.id
    LIMIT ${limit}`.execute(db)
  const rows = result.rows as unknown as ScannedRow[]
  for (const row of rows) row.readers = sortedIndexes(row.readers as unknown as string)
  return rows
}

/** The indexes of an int[] written as text (`{3,0,12}`), in ascending order. */
export function sortedIndexes(text: string): number[] {
  const indexes: number[] = []
  let value = -1
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 48 && code <= 57) {
      value = (value < 0 ? 0 : value * 10) + (code - 48)
      continue
    }
    if (value < 0) continue
    // Insertion (a row has a few readers), without splice's array of removed elements.
    let at = indexes.length
    indexes.push(value)
    while (at > 0 && indexes[at - 1]! > value) {
      indexes[at] = indexes[at - 1]!
      at--
    }
    indexes[at] = value
    value = -1
  }
  return indexes
}

/** The arrays one after the other (a NULL one adds nothing), as a balanced tree of array_cat. */
function concatenated(lists: RawBuilder<unknown>[]): RawBuilder<unknown> {
  if (lists.length === 0) return sql`'{}'::int[]`
  if (lists.length === 1) return lists[0]!
  const half = Math.ceil(lists.length / 2)
  return sql`array_cat(${concatenated(lists.slice(0, half))}, ${concatenated(lists.slice(half))})`
}

/**
 * Takes stream subscriptions at rest for `leaseMs`, each only if its cursor is still the one its events
 * were read from (no other instance delivered them meanwhile) and no instance holds it.
 */
export async function claimStreams(db: Db, owner: string, leaseMs: number, claims: Array<{ id: string; after: Cursor }>): Promise<SubscriptionRow[]> {
  if (claims.length === 0) return []
  const result = await sql<SubscriptionRow>`
    UPDATE subscription s SET lease_owner = ${owner}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
    FROM unnest(${claims.map((c) => c.id)}::uuid[], ${claims.map((c) => c.after.xid)}::text[], ${claims.map((c) => c.after.pk)}::bigint[]) AS c(id, xid, pk)
    WHERE s.id = c.id AND s.after_xid = c.xid::xid8 AND s.after_pk = c.pk
      AND s.stream AND s.next_attempt_at IS NULL AND (s.lease_expires_at IS NULL OR s.lease_expires_at < now())
    RETURNING s.*`.execute(db)
  return result.rows
}

/** A cursor move after a 2xx: from where the delivery read, to its last event. */
export interface CursorMove {
  id: string
  owner: string
  from: Cursor
  to: Cursor
  minRecordTime: Date
  leaseMs: number
  /** The delivery was the last of this turn: the subscription is given back (as releaseSubscription with no next attempt would). */
  release: boolean
}

/**
 * Moves the cursors of deliveries that each got a 2xx, in one statement; each moves only if its instance
 * still holds the lease and nobody moved the cursor meanwhile (otherwise the holder delivers the events
 * again). Answers the subscriptions whose cursor moved.
 */
export async function recordDeliveries(db: Db, moves: CursorMove[]): Promise<Set<string>> {
  if (moves.length === 0) return new Set()
  const result = await sql<{ id: string }>`
    UPDATE subscription s SET after_xid = m.to_xid::xid8, after_pk = m.to_pk, min_record_time = m.min_record_time,
      last_notified_at = now(), failure_count = 0, failing_since = NULL, last_error = NULL,
      lease_expires_at = CASE WHEN m.release THEN NULL ELSE now() + m.lease_ms * interval '1 millisecond' END,
      next_attempt_at = CASE WHEN m.release THEN NULL ELSE s.next_attempt_at END
    FROM unnest(${moves.map((m) => m.id)}::uuid[], ${moves.map((m) => m.owner)}::text[], ${moves.map((m) => m.from.xid)}::text[],
      ${moves.map((m) => m.from.pk)}::bigint[], ${moves.map((m) => m.to.xid)}::text[], ${moves.map((m) => m.to.pk)}::bigint[],
      ${moves.map((m) => m.minRecordTime.toISOString())}::timestamptz[], ${moves.map((m) => m.leaseMs)}::int[],
      ${moves.map((m) => m.release)}::boolean[])
      AS m(id, owner, from_xid, from_pk, to_xid, to_pk, min_record_time, lease_ms, release)
    WHERE s.id = m.id AND s.lease_owner = m.owner AND s.after_xid = m.from_xid::xid8 AND s.after_pk = m.from_pk
    RETURNING s.id`.execute(db)
  return new Set(result.rows.map((row) => row.id))
}

/** An empty report (reportIfEmpty) was taken: only lastNotifiedAt moves. */
export async function recordNotified(db: Db, id: string, owner: string): Promise<void> {
  await sql`
    UPDATE subscription SET last_notified_at = now(), failure_count = 0, failing_since = NULL, last_error = NULL
    WHERE id = ${id} AND lease_owner = ${owner}`.execute(db)
}

/** A failed delivery: the cursor stays; the next try waits `delayMs`. Answers the failures so far. */
export async function recordFailure(db: Db, id: string, owner: string, error: string, delayMs: number): Promise<void> {
  await sql`
    UPDATE subscription SET failure_count = failure_count + 1, failing_since = coalesce(failing_since, now()),
      last_error = ${error.slice(0, 1000)}, next_attempt_at = now() + ${delayMs} * interval '1 millisecond', lease_expires_at = NULL
    WHERE id = ${id} AND lease_owner = ${owner}`.execute(db)
}

/** A receiver answered 413: smaller batches from now on (the lease runs again from now). */
export async function setBatchSize(db: Db, id: string, owner: string, size: number, leaseMs: number): Promise<void> {
  await sql`
    UPDATE subscription SET batch_size = ${size}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id = ${id} AND lease_owner = ${owner}`.execute(db)
}

/** Whether any subscription exists (a stream, a schedule or a federation peer's), held by any instance or none. */
export async function anySubscription(db: Db): Promise<boolean> {
  const result = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM subscription) AS any`.execute(db)
  return result.rows[0]!.any
}

/** When the earliest scheduled or backed-off subscription is due (undefined: none is waiting). */
export async function nextDueTime(db: Db): Promise<Date | undefined> {
  const row = await db.selectFrom('subscription').select((eb) => eb.fn.min('next_attempt_at').as('due')).executeTakeFirst()
  return (row?.due as Date | null | undefined) ?? undefined
}

/** Gives the subscription back; `nextAttemptAt` undefined leaves it as it is, null clears it. */
export async function releaseSubscription(db: Db, id: string, owner: string, nextAttemptAt?: Date | null): Promise<void> {
  await sql`
    UPDATE subscription SET lease_expires_at = NULL
      ${nextAttemptAt === undefined ? sql`` : sql`, next_attempt_at = ${nextAttemptAt === null ? null : nextAttemptAt.toISOString()}::timestamptz`}
    WHERE id = ${id} AND lease_owner = ${owner}`.execute(db)
}
