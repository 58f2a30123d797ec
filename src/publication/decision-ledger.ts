/**
 * Review decisions in the tamper-evident ledger: one entry per POST /review/decisions, chained to the
 * entries of captures, whose leaves are the decisions (not events). A decision's leaf commits to every
 * field of it, so changing a kept decision, or removing one, breaks its entry's Merkle root and then the
 * chain. GET /audit/ledger/verify checks these entries too (src/ledger/verify.ts calls checkDecisionLeaves).
 */
import { hash } from 'node:crypto'
import { sql, type Transaction } from 'kysely'
import type { Database, Db } from '../db/database.js'
import type { LedgerEntryRow } from '../db/tables/ledger-entry.js'
import { entryHash, GENESIS_HASH } from '../ledger/entry.js'
import { leafHash, merkleRoot } from '../ledger/merkle.js'
import { insertEntry, ledgerHead, lockLedger } from '../ledger/repository.js'
import type { BrokenLink } from '../ledger/verify.js'

export interface DecisionFields {
  eventPk: number
  eventId: string
  decision: 'approve' | 'reject'
  comment: string | null
  decidedBy: string
  decidedAt: Date
  reasons: readonly string[]
}

/**
 * Leaf data: `decision LF eventKey LF sha256(eventID) LF decision LF sha256(decidedBy) LF decidedAt LF
 * sha256(comment) LF sha256(reasons)`: free texts as digests, so no line feed inside them can make the string
 * read back two ways. The `decision` tag keeps a decision leaf apart from an event leaf.
 */
export function decisionLeafHash(d: DecisionFields): Buffer {
  const digest = (text: string) => hash('sha256', text, 'hex')
  const data = [
    'decision',
    String(d.eventPk),
    digest(d.eventId),
    d.decision,
    digest(d.decidedBy),
    d.decidedAt.toISOString(),
    digest(d.comment ?? ''),
    digest(JSON.stringify(d.reasons)),
  ].join('\n')
  return leafHash(Buffer.from(data, 'utf8'))
}

/** Appends one entry whose leaves are these decisions, in order, and stores them. Returns the entry's seq. */
export async function appendDecisions(trx: Transaction<Database>, decisions: readonly DecisionFields[]): Promise<number | undefined> {
  if (decisions.length === 0) return undefined
  const hashes = decisions.map(decisionLeafHash)
  const root = merkleRoot(hashes)
  await lockLedger(trx)
  const head = await ledgerHead(trx)
  const fields = { seq: (head?.seq ?? 0) + 1, time: new Date(), leafCount: decisions.length, merkleRoot: root, previousHash: head?.entry_hash ?? GENESIS_HASH }
  await insertEntry(trx, {
    seq: fields.seq,
    created_at: fields.time,
    capture_job_id: null,
    leaf_count: fields.leafCount,
    merkle_root: root,
    previous_hash: fields.previousHash,
    entry_hash: entryHash(fields),
  })
  const rows = decisions.map((d, i) => ({
    event_pk: d.eventPk,
    event_id: d.eventId,
    decision: d.decision,
    comment: d.comment,
    decided_by: d.decidedBy,
    decided_at: d.decidedAt.toISOString(),
    reasons: d.reasons,
    leaf_index: i,
    leaf_hash: hashes[i]!.toString('hex'),
  }))
  await sql`
    INSERT INTO publication_decision (event_pk, event_id, decision, comment, decided_by, decided_at, reasons, ledger_seq, leaf_index, leaf_hash)
    SELECT r.event_pk, r.event_id, r.decision, r.comment, r.decided_by, r.decided_at,
      ARRAY(SELECT jsonb_array_elements_text(r.reasons)), ${fields.seq}::bigint, r.leaf_index, decode(r.leaf_hash, 'hex')
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(event_pk bigint, event_id text, decision text, comment text,
      decided_by text, decided_at timestamptz, reasons jsonb, leaf_index integer, leaf_hash text)`.execute(trx)
  return fields.seq
}

/** undefined when the entry is not a decision entry (no decision names it). */
export async function checkDecisionLeaves(db: Db, entry: LedgerEntryRow): Promise<BrokenLink | undefined | 'not-decisions'> {
  const rows = await db
    .selectFrom('publication_decision')
    .selectAll()
    .where('ledger_seq', '=', entry.seq)
    .orderBy('leaf_index')
    .execute()
  if (rows.length === 0) return 'not-decisions'
  const hashes: Buffer[] = []
  for (const row of rows) {
    const recomputed = decisionLeafHash({
      eventPk: row.event_pk,
      eventId: row.event_id,
      decision: row.decision,
      comment: row.comment,
      decidedBy: row.decided_by,
      decidedAt: row.decided_at,
      reasons: row.reasons,
    })
    if (row.leaf_index !== hashes.length) {
      return { kind: 'leaf-order', seq: entry.seq, leafIndex: row.leaf_index, detail: `Entry ${entry.seq}'s decisions are not numbered 0, 1, ...` }
    }
    if (!recomputed.equals(row.leaf_hash)) {
      return {
        kind: 'leaf-hash',
        seq: entry.seq,
        leafIndex: row.leaf_index,
        eventID: row.event_id,
        detail: `The review decision on event ${row.event_id} in entry ${entry.seq} does not give its leaf hash: it was changed`,
        expected: row.leaf_hash.toString('hex'),
        found: recomputed.toString('hex'),
      }
    }
    hashes.push(recomputed)
  }
  if (hashes.length !== entry.leaf_count) {
    return {
      kind: 'leaf-count',
      seq: entry.seq,
      detail: `Entry ${entry.seq} records ${entry.leaf_count} decisions; ${hashes.length} are stored`,
      expected: String(entry.leaf_count),
      found: String(hashes.length),
    }
  }
  const root = merkleRoot(hashes)
  if (!root.equals(entry.merkle_root)) {
    return { kind: 'merkle-root', seq: entry.seq, detail: `The decisions of entry ${entry.seq} do not give its Merkle root` }
  }
  return undefined
}
