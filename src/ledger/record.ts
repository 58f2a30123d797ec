import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { LedgerRecordRow } from '../db/tables/ledger-record.js'
import { entryHash, GENESIS_HASH } from './entry.js'
import { leafHash, merkleRoot } from './merkle.js'
import { insertEntry, ledgerHead, lockLedger } from './repository.js'

const RECORD_TAG = 'nguon-ledger-record-v1'

/** What a record entry commits to: a kind of document (`report`), which one, and the SHA-256 of its content. */
export interface LedgerRecordFields {
  kind: string
  subject: string
  digest: Buffer
}

/** The single leaf of a record entry: `nguon-ledger-record-v1 LF kind LF subject LF digest-hex`. */
export function recordLeafHash(record: LedgerRecordFields): Buffer {
  return leafHash(Buffer.from([RECORD_TAG, record.kind, record.subject, record.digest.toString('hex')].join('\n'), 'utf8'))
}

/**
 * Appends an entry committing to one document, in the caller's transaction, chained like every entry
 * (same lock, same entry hash), so that a kept report cannot be changed or removed without the chain showing it.
 */
export async function appendRecord(trx: Transaction<Database>, record: LedgerRecordFields): Promise<number> {
  const root = merkleRoot([recordLeafHash(record)])
  await lockLedger(trx)
  const head = await ledgerHead(trx)
  const fields = { seq: (head?.seq ?? 0) + 1, time: new Date(), leafCount: 1, merkleRoot: root, previousHash: head?.entry_hash ?? GENESIS_HASH }
  await insertEntry(trx, {
    seq: fields.seq,
    created_at: fields.time,
    capture_job_id: null,
    leaf_count: 1,
    merkle_root: root,
    previous_hash: fields.previousHash,
    entry_hash: entryHash(fields),
  })
  await trx.insertInto('ledger_record').values({ entry_seq: fields.seq, ...record }).execute()
  return fields.seq
}

export async function findRecord(db: Kysely<Database>, seq: number): Promise<LedgerRecordRow | undefined> {
  return db.selectFrom('ledger_record').selectAll().where('entry_seq', '=', seq).executeTakeFirst()
}
