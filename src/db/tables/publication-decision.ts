import type { ColumnType, Selectable } from 'kysely'

export const publicationDecisionTableName = 'publication_decision'

/** A reviewer's decision on one held event; a leaf of the ledger entry `ledger_seq`. */
export interface PublicationDecisionTable {
  id: ColumnType<number, never, never>
  event_pk: number
  event_id: string
  decision: 'approve' | 'reject'
  comment: string | null
  decided_by: string
  decided_at: Date
  reasons: string[]
  ledger_seq: number
  leaf_index: number
  leaf_hash: Buffer
}

export type PublicationDecisionRow = Selectable<PublicationDecisionTable>
