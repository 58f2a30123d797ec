import { createHash } from 'node:crypto'

/** The previous hash of the first entry. */
export const GENESIS_HASH = Buffer.alloc(32)

const ENTRY_TAG = 'nguon-ledger-entry-v1'

/** The fields an entry hash covers. */
export interface EntryFields {
  seq: number
  /** When the entry was appended (millisecond precision). */
  time: Date
  leafCount: number
  merkleRoot: Uint8Array
  previousHash: Uint8Array
}

/**
 * The canonical serialisation an entry hash is taken over: six lines joined by LF, no final LF:
 * `nguon-ledger-entry-v1`, seq in decimal, time as ISO 8601 UTC with milliseconds
 * (2026-01-31T08:00:00.000Z), leaf count in decimal, Merkle root in lowercase hex, previous hash in
 * lowercase hex.
 */
export function entrySerialisation(entry: EntryFields): string {
  return [
    ENTRY_TAG,
    String(entry.seq),
    entry.time.toISOString(),
    String(entry.leafCount),
    Buffer.from(entry.merkleRoot).toString('hex'),
    Buffer.from(entry.previousHash).toString('hex'),
  ].join('\n')
}

export function entryHash(entry: EntryFields): Buffer {
  return createHash('sha256').update(entrySerialisation(entry), 'utf8').digest()
}
