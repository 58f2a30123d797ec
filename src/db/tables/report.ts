import type { ColumnType, Generated, Selectable } from 'kysely'

export const reportTableName = 'report'

export type ReportKind = 'activity' | 'chain'

/** A kept report: its content as the canonical JSON text whose SHA-256 the ledger holds (migration 0034). */
export interface ReportTable {
  id: Generated<number>
  kind: ReportKind
  period_from: Date
  period_to: Date
  filters: ColumnType<Record<string, string>, string, string>
  trigger: 'schedule' | 'request'
  content: string
  content_hash: Buffer
  ledger_seq: number
  created_at: ColumnType<Date, Date | undefined, never>
}

export type ReportRow = Selectable<ReportTable>
