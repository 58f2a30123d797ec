import type { Selectable } from 'kysely'

export const ledgerRecordTableName = 'ledger_record'

/** A ledger entry that commits to one document (a kept report) instead of stored events (migration 0034). */
export interface LedgerRecordTable {
  entry_seq: number
  kind: string
  subject: string
  digest: Buffer
}

export type LedgerRecordRow = Selectable<LedgerRecordTable>
