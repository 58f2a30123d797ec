import type { Db } from '../db/database.js'
import type { LedgerEntryRow } from '../db/tables/ledger-entry.js'
import { eventHashId } from '../epcis/event-hash/index.js'
import { entryHash, GENESIS_HASH } from './entry.js'
import { bodyDigest, ledgerLeafHash } from './leaf.js'
import { merkleRoot } from './merkle.js'
import { findRecord, recordLeafHash } from './record.js'
import type { LedgerRecordRow } from '../db/tables/ledger-record.js'
import { checkDecisionLeaves } from '../publication/decision-ledger.js'
import {
  contextNamespaces,
  firstEventOutsideLedger,
  firstOrphanLeaf,
  leavesWithEvents,
  listEntries,
  type LeafWithEvent,
} from './repository.js'

export type BreakKind =
  | 'sequence'
  | 'previous-hash'
  | 'entry-hash'
  | 'leaf-count'
  | 'merkle-root'
  | 'leaf-order'
  | 'event-missing'
  | 'event-hash'
  | 'leaf-hash'
  | 'event-outside-ledger'
  | 'orphan-leaf'

/** The first place where the stored data and the ledger disagree. */
export interface BrokenLink {
  kind: BreakKind
  detail: string
  seq?: number
  eventID?: string
  leafIndex?: number
  expected?: string
  found?: string
}

export interface VerificationReport {
  valid: boolean
  entries: number
  events: number
  head: { seq: number; entryHash: string } | null
  firstBroken: BrokenLink | null
}

const ENTRY_BATCH = 200
const LEAF_BATCH = 1000

/**
 * Recomputes the whole ledger from the stored events, in batches (never all events at once): each
 * event's CBV 2.0 hash from its body and its document's namespaces, each leaf from the event row,
 * each entry's Merkle root from its leaves, each entry hash and the link to the entry before. Then
 * checks that every stored event has a leaf and every leaf an entry. Stops at the first break.
 */
export async function verifyLedger(db: Db): Promise<VerificationReport> {
  const namespaces = new NamespaceCache(db)
  let previous: LedgerEntryRow | undefined
  let entries = 0
  let events = 0
  const report = (firstBroken: BrokenLink | null): VerificationReport => ({
    valid: firstBroken === null,
    entries,
    events,
    head: previous ? { seq: previous.seq, entryHash: previous.entry_hash.toString('hex') } : null,
    firstBroken,
  })
  for (;;) {
    const batch = await listEntries(db, previous?.seq ?? 0, ENTRY_BATCH)
    if (batch.length === 0) break
    for (const entry of batch) {
      // An entry of review decisions (src/publication/decision-ledger.ts) has decisions, not events, as leaves.
      const decisions = entry.capture_job_id === null ? await checkDecisionLeaves(db, entry) : 'not-decisions'
      // An entry of a kept report (src/ledger/record.ts) has one leaf: the report's record.
      const record = decisions === 'not-decisions' && entry.capture_job_id === null && entry.leaf_count === 1 ? await findRecord(db, entry.seq) : undefined
      const broken =
        checkLink(entry, previous) ??
        (record ? checkRecord(entry, record) : decisions === 'not-decisions' ? await checkLeaves(db, entry, namespaces) : decisions)
      if (broken) return report(broken)
      entries += 1
      if (decisions === 'not-decisions' && !record) events += entry.leaf_count
      previous = entry
    }
  }
  const outside = await firstEventOutsideLedger(db)
  if (outside) {
    return report({
      kind: 'event-outside-ledger',
      eventID: outside.event_id,
      detail: `Event ${outside.event_id} (key ${outside.id}) is stored but no ledger entry covers it`,
    })
  }
  const orphan = await firstOrphanLeaf(db)
  if (orphan) {
    return report({
      kind: 'orphan-leaf',
      seq: orphan.entry_seq,
      detail: `A leaf for event key ${orphan.event_pk} names entry ${orphan.entry_seq}, which does not exist`,
    })
  }
  return report(null)
}

/** The entry's own hash and its link to the entry before. */
function checkLink(entry: LedgerEntryRow, previous: LedgerEntryRow | undefined): BrokenLink | undefined {
  const expectedSeq = (previous?.seq ?? 0) + 1
  if (entry.seq !== expectedSeq) {
    return {
      kind: 'sequence',
      seq: entry.seq,
      detail: `Entry ${expectedSeq} is missing: the chain goes from ${expectedSeq - 1} to ${entry.seq}`,
      expected: String(expectedSeq),
      found: String(entry.seq),
    }
  }
  const expectedPrevious = previous?.entry_hash ?? GENESIS_HASH
  if (!entry.previous_hash.equals(expectedPrevious)) {
    return {
      kind: 'previous-hash',
      seq: entry.seq,
      detail: `Entry ${entry.seq} does not link to the hash of entry ${entry.seq - 1}`,
      expected: expectedPrevious.toString('hex'),
      found: entry.previous_hash.toString('hex'),
    }
  }
  const recomputed = entryHash({
    seq: entry.seq,
    time: entry.created_at,
    leafCount: entry.leaf_count,
    merkleRoot: entry.merkle_root,
    previousHash: entry.previous_hash,
  })
  if (!recomputed.equals(entry.entry_hash)) {
    return {
      kind: 'entry-hash',
      seq: entry.seq,
      detail: `Entry ${entry.seq}'s fields do not hash to its stored entry hash`,
      expected: recomputed.toString('hex'),
      found: entry.entry_hash.toString('hex'),
    }
  }
  return undefined
}

/** Every leaf of the entry against its event, then the Merkle root and leaf count. */
async function checkLeaves(db: Db, entry: LedgerEntryRow, namespaces: NamespaceCache): Promise<BrokenLink | undefined> {
  const hashes: Buffer[] = []
  let lastPk = 0
  for (;;) {
    const batch = await leavesWithEvents(db, entry.seq, hashes.length, LEAF_BATCH)
    for (const leaf of batch) {
      const broken =
        (leaf.leaf_index !== hashes.length || leaf.event_pk <= lastPk
          ? orderBreak(entry, leaf, hashes.length)
          : undefined) ?? (await checkEvent(entry, leaf, namespaces))
      if (broken) return broken
      hashes.push(leaf.leaf_hash)
      lastPk = leaf.event_pk
    }
    if (batch.length < LEAF_BATCH) break
  }
  if (hashes.length !== entry.leaf_count) {
    return {
      kind: 'leaf-count',
      seq: entry.seq,
      detail: `Entry ${entry.seq} records ${entry.leaf_count} leaves; ${hashes.length} are stored`,
      expected: String(entry.leaf_count),
      found: String(hashes.length),
    }
  }
  const root = merkleRoot(hashes)
  if (!root.equals(entry.merkle_root)) {
    return {
      kind: 'merkle-root',
      seq: entry.seq,
      detail: `The leaves of entry ${entry.seq} do not give its Merkle root`,
      expected: entry.merkle_root.toString('hex'),
      found: root.toString('hex'),
    }
  }
  return undefined
}

/** A record entry (a kept report): its one leaf is the record's, and the record gives the Merkle root. */
function checkRecord(entry: LedgerEntryRow, record: LedgerRecordRow): BrokenLink | undefined {
  const root = merkleRoot([recordLeafHash(record)])
  if (root.equals(entry.merkle_root)) return undefined
  return {
    kind: 'merkle-root',
    seq: entry.seq,
    detail: `The ${record.kind} ${record.subject} recorded in entry ${entry.seq} does not give its Merkle root`,
    expected: entry.merkle_root.toString('hex'),
    found: root.toString('hex'),
  }
}

function orderBreak(entry: LedgerEntryRow, leaf: LeafWithEvent, expectedIndex: number): BrokenLink {
  return {
    kind: 'leaf-order',
    seq: entry.seq,
    leafIndex: leaf.leaf_index,
    ...(leaf.event_id === null ? {} : { eventID: leaf.event_id }),
    detail: `Entry ${entry.seq}'s leaves are not numbered 0, 1, ... in event key order at leaf ${expectedIndex}`,
  }
}

async function checkEvent(entry: LedgerEntryRow, leaf: LeafWithEvent, namespaces: NamespaceCache): Promise<BrokenLink | undefined> {
  const at = { seq: entry.seq, leafIndex: leaf.leaf_index }
  if (leaf.event_id === null || leaf.body === null) {
    return { kind: 'event-missing', ...at, detail: `The event (key ${leaf.event_pk}) of leaf ${leaf.leaf_index} in entry ${entry.seq} is gone` }
  }
  const recomputed = eventHashId(leaf.body, await namespaces.of(leaf.context_id))
  if (recomputed !== leaf.event_hash) {
    return {
      kind: 'event-hash',
      ...at,
      eventID: leaf.event_id,
      detail: `Event ${leaf.event_id}'s stored body does not give its stored CBV 2.0 event hash`,
      expected: recomputed,
      ...(leaf.event_hash === null ? {} : { found: leaf.event_hash }),
    }
  }
  const fromRow = ledgerLeafHash({ eventId: leaf.event_id, eventHash: recomputed, bodyDigest: bodyDigest(leaf.body) })
  if (!fromRow.equals(leaf.leaf_hash)) {
    return {
      kind: 'leaf-hash',
      ...at,
      eventID: leaf.event_id,
      detail: `Event ${leaf.event_id} as stored (eventID, hash or body) differs from its leaf in entry ${entry.seq}`,
      expected: leaf.leaf_hash.toString('hex'),
      found: fromRow.toString('hex'),
    }
  }
  return undefined
}

/** Each document context's namespaces, read once per verification. */
class NamespaceCache {
  private readonly known = new Map<number, Record<string, string>>()
  constructor(private readonly db: Db) {}

  async of(contextId: number | null): Promise<Record<string, string>> {
    if (contextId === null) return {}
    let namespaces = this.known.get(contextId)
    if (!namespaces) {
      namespaces = await contextNamespaces(this.db, contextId)
      this.known.set(contextId, namespaces)
    }
    return namespaces
  }
}
