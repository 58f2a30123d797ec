import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { LedgerEntryRow } from '../db/tables/ledger-entry.js'
import { everyEvent, type EventVisibility } from '../traceability/visibility.js'
import { jsonRows } from '../db/json-rows.js'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * The advisory lock that serialises appends across transactions and instances, so two captures
 * never read the same head. One fixed 64-bit key ('NguonLdg' in ASCII), outside the 32-bit range
 * pg-boss's hashtext() keys fall in.
 */
export const LEDGER_LOCK_KEY = 0x4e67756f6e4c6467n

export type LedgerEntryWithCapture = LedgerEntryRow & { capture_id: string | null }

/** Held until the transaction ends: the append that takes it commits (or rolls back) before the next reads the head. */
export async function lockLedger(db: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK_KEY.toString()}::bigint)`.execute(db)
}

export async function ledgerHead(db: Executor): Promise<Pick<LedgerEntryRow, 'seq' | 'entry_hash'> | undefined> {
  return db.selectFrom('ledger_entry').select(['seq', 'entry_hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
}

export async function insertEntry(db: Executor, entry: LedgerEntryRow): Promise<void> {
  await db.insertInto('ledger_entry').values(entry).execute()
}

/** An entry and all its leaves in one statement (one round trip while the ledger's lock is held). */
export async function insertEntryWithLeaves(db: Executor, entry: LedgerEntryRow, eventPks: number[], leafHashes: Buffer[]): Promise<void> {
  const rows = eventPks.map((pk, index) => ({ pk, index, hash: leafHashes[index]!.toString('hex') }))
  await sql`
    WITH entry AS (
      INSERT INTO ledger_entry (seq, created_at, capture_job_id, leaf_count, merkle_root, previous_hash, entry_hash)
      VALUES (${entry.seq}::bigint, ${entry.created_at}::timestamptz, ${entry.capture_job_id}::bigint, ${entry.leaf_count}::integer,
        ${entry.merkle_root}::bytea, ${entry.previous_hash}::bytea, ${entry.entry_hash}::bytea)
    )
    INSERT INTO ledger_leaf (event_pk, entry_seq, leaf_index, leaf_hash)
    SELECT r.pk, ${entry.seq}::bigint, r.index, decode(r.hash, 'hex') FROM ${jsonRows(rows, 'pk bigint, index integer, hash text')}`.execute(db)
}

/** Entries in chain order after `afterSeq`, with the captureID of the job that stored them. */
export async function listEntries(db: Executor, afterSeq: number, limit: number): Promise<LedgerEntryWithCapture[]> {
  return db
    .selectFrom('ledger_entry as l')
    .leftJoin('capture_job as j', 'j.id', 'l.capture_job_id')
    .selectAll('l')
    .select('j.capture_id')
    .where('l.seq', '>', afterSeq)
    .orderBy('l.seq')
    .limit(limit)
    .execute()
}

export async function findEntry(db: Executor, seq: number): Promise<LedgerEntryWithCapture | undefined> {
  return db
    .selectFrom('ledger_entry as l')
    .leftJoin('capture_job as j', 'j.id', 'l.capture_job_id')
    .selectAll('l')
    .select('j.capture_id')
    .where('l.seq', '=', seq)
    .executeTakeFirst()
}

export interface LeafWithEvent {
  leaf_index: number
  event_pk: number
  leaf_hash: Buffer
  /** Null when the event row is gone. */
  event_id: string | null
  event_hash: string | null
  context_id: number | null
  body: Record<string, unknown> | null
}

/** One batch of an entry's leaves from `fromIndex` on, each with its event as stored now. */
export async function leavesWithEvents(
  db: Executor,
  entrySeq: number,
  fromIndex: number,
  limit: number,
): Promise<LeafWithEvent[]> {
  return db
    .selectFrom('ledger_leaf as l')
    .leftJoin('event as e', 'e.id', 'l.event_pk')
    .select(['l.leaf_index', 'l.event_pk', 'l.leaf_hash', 'e.event_id', 'e.event_hash', 'e.context_id', 'e.body'])
    .where('l.entry_seq', '=', entrySeq)
    .where('l.leaf_index', '>=', fromIndex)
    .orderBy('l.leaf_index')
    .limit(limit)
    .execute()
}

export async function leafHashesOf(db: Executor, entrySeq: number): Promise<Buffer[]> {
  const rows = await db
    .selectFrom('ledger_leaf')
    .select('leaf_hash')
    .where('entry_seq', '=', entrySeq)
    .orderBy('leaf_index')
    .execute()
  return rows.map((r) => r.leaf_hash)
}

export async function contextNamespaces(db: Executor, contextId: number): Promise<Record<string, string>> {
  const row = await db.selectFrom('document_context').select('namespaces').where('id', '=', contextId).executeTakeFirst()
  return row?.namespaces ?? {}
}

export interface LedgeredEvent {
  pk: number
  event_id: string
  event_hash: string | null
  body: Record<string, unknown>
  entry_seq: number | null
  leaf_index: number | null
}

/** The visible events with an eventID and, for those in the ledger, where their leaf is. */
export async function eventsWithLeaves(
  db: Executor,
  eventId: string,
  visible: EventVisibility = everyEvent,
): Promise<LedgeredEvent[]> {
  return db
    .selectFrom('event as e')
    .leftJoin('ledger_leaf as l', 'l.event_pk', 'e.id')
    .select(['e.id as pk', 'e.event_id', 'e.event_hash', 'e.body', 'l.entry_seq', 'l.leaf_index'])
    .where('e.event_id', '=', eventId)
    .where(visible('e'))
    .orderBy('e.id')
    .execute()
}

/** The first stored event (by key) that no leaf covers: stored outside a capture, or before the ledger existed. */
export async function firstEventOutsideLedger(db: Executor): Promise<{ id: number; event_id: string } | undefined> {
  return db
    .selectFrom('event as e')
    .select(['e.id', 'e.event_id'])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('ledger_leaf as l').select(sql`1`.as('one')).whereRef('l.event_pk', '=', 'e.id'))),
    )
    .orderBy('e.id')
    .limit(1)
    .executeTakeFirst()
}

/** A leaf whose entry does not exist (leaves beyond an existing entry's count are found walking the entry). */
export async function firstOrphanLeaf(db: Executor): Promise<{ event_pk: number; entry_seq: number } | undefined> {
  return db
    .selectFrom('ledger_leaf as l')
    .select(['l.event_pk', 'l.entry_seq'])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('ledger_entry as x').select(sql`1`.as('one')).whereRef('x.seq', '=', 'l.entry_seq'))),
    )
    .orderBy('l.event_pk')
    .limit(1)
    .executeTakeFirst()
}
