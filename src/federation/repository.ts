/** All SQL of peers and their state, as plain functions over Kysely. */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, Db } from '../db/database.js'
import type { NewPeer, PeerRow } from '../db/tables/peer.js'

type Executor = Kysely<Database> | Transaction<Database>

/** Stores a peer; undefined when the id is taken. */
export async function insertPeer(db: Executor, row: NewPeer): Promise<PeerRow | undefined> {
  return db.insertInto('peer').values(row).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst()
}

export async function findPeer(db: Executor, id: string): Promise<PeerRow | undefined> {
  return db.selectFrom('peer').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The push peer whose subscription is this one. */
export async function findPeerBySubscription(db: Executor, subscriptionId: string): Promise<PeerRow | undefined> {
  return db.selectFrom('peer').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst()
}

export async function listPeers(db: Db, after: string | undefined, limit: number): Promise<PeerRow[]> {
  return db
    .selectFrom('peer')
    .selectAll()
    .$if(after !== undefined, (q) => q.where('id', '>', after!))
    .orderBy('id')
    .limit(limit)
    .execute()
}

export interface PeerChanges {
  name: string
  base_url: string
  credentials_kind?: PeerRow['credentials_kind']
  credentials?: Buffer
  credentials_key_id?: string
  query: string
  pull_interval_ms: number
  send_everything: boolean
  subscription_id?: string | null
}

export async function updatePeer(db: Executor, id: string, changes: PeerChanges): Promise<PeerRow | undefined> {
  return db
    .updateTable('peer')
    .set({ ...changes, updated_at: sql<string>`date_trunc('milliseconds', now())` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export async function setPeerSubscription(db: Executor, id: string, subscriptionId: string): Promise<void> {
  await db.updateTable('peer').set({ subscription_id: subscriptionId }).where('id', '=', id).execute()
}

export async function deletePeer(db: Executor, id: string): Promise<PeerRow | undefined> {
  return db.deleteFrom('peer').where('id', '=', id).returningAll().executeTakeFirst()
}

/** A delivery or a pull taken by the peer: the counter moves, the error clears. */
export async function recordPeerSuccess(db: Db, id: string, counts: { sent?: number; received?: number }): Promise<void> {
  await sql`
    UPDATE peer SET events_sent = events_sent + ${counts.sent ?? 0}, events_received = events_received + ${counts.received ?? 0},
      last_success_at = now(), last_error = NULL, failing_since = NULL
    WHERE id = ${id}`.execute(db)
}

/** Moves a push peer's decision cursor if it is still `from` (another instance may have moved it meanwhile). */
export async function moveDecisionCursor(db: Db, id: string, from: number, to: number): Promise<boolean> {
  const result = await db.updateTable('peer').set({ decision_cursor: to }).where('id', '=', id).where('decision_cursor', '=', from).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * Makes due now the subscriptions of the push peers (not sending everything) whose decision cursor is behind the
 * latest decision that published events, when no instance holds them: their next turn sends those events
 * (push-sender.ts beforeTurn). Run by a decision, in its transaction, and on the federation poll for a peer that was
 * busy then. Answers whether any became due; the engines are woken when the transaction commits.
 */
export async function makePeersDueForDecisions(db: Executor): Promise<boolean> {
  const result = await sql<{ id: string }>`
    UPDATE subscription s SET next_attempt_at = now()
    FROM peer p
    WHERE p.subscription_id = s.id AND NOT p.send_everything
      AND s.next_attempt_at IS NULL AND (s.lease_expires_at IS NULL OR s.lease_expires_at < now())
      AND p.decision_cursor < (SELECT coalesce(max(change_seq), 0) FROM event_publication WHERE decided_at IS NOT NULL AND state = 'published')
    RETURNING s.id`.execute(db)
  if (result.rows.length === 0) return false
  await sql`SELECT pg_notify('nguon_events', '')`.execute(db)
  return true
}

export async function recordPeerFailure(db: Db, id: string, error: string): Promise<void> {
  await sql`
    UPDATE peer SET last_error = ${error.slice(0, 2000)}, failing_since = coalesce(failing_since, now())
    WHERE id = ${id}`.execute(db)
}

/**
 * Takes up to `limit` pull peers that are due and that no instance holds, for `leaseMs`
 * (SKIP LOCKED: instances claiming at once take different ones).
 */
export async function claimDuePulls(db: Db, owner: string, leaseMs: number, limit: number): Promise<PeerRow[]> {
  if (limit <= 0) return []
  const result = await sql<PeerRow>`
    UPDATE peer SET lease_owner = ${owner}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond',
      last_pull_started_at = now()
    WHERE id IN (
      SELECT id FROM peer
      WHERE direction = 'pull'
        AND (lease_expires_at IS NULL OR lease_expires_at < now())
        AND (next_pull_at IS NULL OR next_pull_at <= now())
      ORDER BY next_pull_at NULLS FIRST, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db)
  return result.rows
}

/** A page of pulled events is stored here: the cursor moves forward (never back) and the lease runs on. */
export async function recordPulledPage(db: Db, id: string, owner: string, cursor: Date | undefined, received: number, leaseMs: number): Promise<boolean> {
  const result = await sql`
    UPDATE peer SET pull_cursor = greatest(pull_cursor, ${cursor?.toISOString() ?? null}::timestamptz),
      events_received = events_received + ${received}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id = ${id} AND lease_owner = ${owner}`.execute(db)
  return Number(result.numAffectedRows) > 0
}

/** The pull ended: the lease is given back and the next pull is due after `delayMs`. */
export async function finishPull(db: Db, id: string, owner: string, outcome: { error?: string }, delayMs: number): Promise<void> {
  const state = outcome.error === undefined
    ? sql`last_success_at = now(), last_error = NULL, failing_since = NULL, pull_failures = 0`
    : sql`last_error = ${outcome.error.slice(0, 2000)}, failing_since = coalesce(failing_since, now()), pull_failures = pull_failures + 1`
  await sql`
    UPDATE peer SET ${state}, lease_expires_at = NULL, next_pull_at = now() + ${delayMs} * interval '1 millisecond'
    WHERE id = ${id} AND lease_owner = ${owner}`.execute(db)
}

/** When the earliest pull is due (a new peer: now; undefined: no pull peer waits). */
export async function nextPullTime(db: Db): Promise<Date | undefined> {
  const row = await db
    .selectFrom('peer')
    // A peer another instance is pulling now is not due here before its lease ends.
    .select(sql<Date | null>`min(greatest(coalesce(next_pull_at, now()), coalesce(lease_expires_at, now())))`.as('due'))
    .where('direction', '=', 'pull')
    .executeTakeFirst()
  return (row?.due as Date | null | undefined) ?? undefined
}

/** Which of these eventIDs are stored here already (a pull skips them before capturing). */
export async function storedEventIds(db: Db, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set()
  const rows = await db.selectFrom('event').select('event_id').where('event_id', 'in', eventIds).execute()
  return new Set(rows.map((r) => r.event_id))
}
