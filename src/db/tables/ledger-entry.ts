import type { Selectable } from 'kysely'

export const ledgerEntryTableName = 'ledger_entry'

export interface LedgerEntryTable {
  seq: number
  created_at: Date
  /** The capture job that stored the events (null: POST /events). */
  capture_job_id: number | null
  leaf_count: number
  merkle_root: Buffer
  previous_hash: Buffer
  entry_hash: Buffer
}

export type LedgerEntryRow = Selectable<LedgerEntryTable>
