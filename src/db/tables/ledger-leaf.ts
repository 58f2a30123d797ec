import type { Selectable } from 'kysely'

export const ledgerLeafTableName = 'ledger_leaf'

export interface LedgerLeafTable {
  event_pk: number
  entry_seq: number
  leaf_index: number
  leaf_hash: Buffer
}

export type LedgerLeafRow = Selectable<LedgerLeafTable>
