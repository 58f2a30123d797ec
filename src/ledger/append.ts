import type { Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { EventToStore } from '../capture/event-repository.js'
import { entryHash, GENESIS_HASH } from './entry.js'
import { bodyDigest, ledgerLeafHash } from './leaf.js'
import { merkleRoot } from './merkle.js'
import { insertEntryWithLeaves, ledgerHead, lockLedger } from './repository.js'

/** One newly stored event, reduced to what its leaf needs (so a large capture need not keep the bodies). */
export interface LedgerLeafInput {
  pk: number
  leafHash: Buffer
}

/** The leaves of events just stored (insertEvents' `stored`); duplicates it skipped are not leaves. */
export function ledgerLeaves(stored: ReadonlyArray<{ event: EventToStore; pk: number }>): LedgerLeafInput[] {
  return stored.map(({ event, pk }) => ({ pk, leafHash: eventLeafHash(event) }))
}

/** The leaf hash of an event about to be stored (it does not depend on the event's key). */
export function eventLeafHash(event: EventToStore): Buffer {
  return ledgerLeafHash({ eventId: event.eventId, eventHash: event.indexed.eventHash, bodyDigest: bodyDigest(event.body) })
}

/**
 * Appends one entry for the events a capture stored, inside the transaction that stored them, so
 * an event never commits without its leaf. Leaves are ordered by event key. The tree is built
 * before the lock is taken; the lock is held from reading the head until the transaction ends.
 * Nothing is appended when nothing new was stored.
 */
export async function appendToLedger(
  trx: Transaction<Database>,
  leaves: readonly LedgerLeafInput[],
  refs: { captureJobId: number | null },
): Promise<number | undefined> {
  if (leaves.length === 0) return undefined
  const ordered = [...leaves].sort((a, b) => a.pk - b.pk)
  const hashes = ordered.map((l) => l.leafHash)
  const root = merkleRoot(hashes)
  await lockLedger(trx)
  const head = await ledgerHead(trx)
  const fields = {
    seq: (head?.seq ?? 0) + 1,
    time: new Date(),
    leafCount: ordered.length,
    merkleRoot: root,
    previousHash: head?.entry_hash ?? GENESIS_HASH,
  }
  const entry = {
    seq: fields.seq,
    created_at: fields.time,
    capture_job_id: refs.captureJobId,
    leaf_count: fields.leafCount,
    merkle_root: root,
    previous_hash: fields.previousHash,
    entry_hash: entryHash(fields),
  }
  await insertEntryWithLeaves(trx, entry, ordered.map((l) => l.pk), hashes)
  return fields.seq
}
