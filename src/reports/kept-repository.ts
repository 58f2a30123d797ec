import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { ReportKind, ReportRow } from '../db/tables/report.js'

type Executor = Kysely<Database> | Transaction<Database>

export type ReportSummaryRow = Omit<ReportRow, 'content'>

export async function nextReportId(db: Executor): Promise<number> {
  const { rows } = await sql<{ id: number }>`SELECT nextval('report_id_seq')::bigint AS id`.execute(db)
  return rows[0]!.id
}

export async function scheduledReportExists(db: Executor, kind: ReportKind, from: Date, to: Date): Promise<boolean> {
  const row = await db
    .selectFrom('report')
    .select('id')
    .where('kind', '=', kind)
    .where('period_from', '=', from)
    .where('period_to', '=', to)
    .where('trigger', '=', 'schedule')
    .executeTakeFirst()
  return row !== undefined
}

export async function insertReport(db: Executor, row: Omit<ReportRow, 'created_at' | 'filters'> & { filters: Record<string, string> }): Promise<void> {
  await db.insertInto('report').values({ ...row, filters: JSON.stringify(row.filters) }).execute()
}

const SUMMARY = ['id', 'kind', 'period_from', 'period_to', 'filters', 'trigger', 'content_hash', 'ledger_seq', 'created_at'] as const

/** Kept reports, newest first, below `beforeId` when given. */
export async function listReports(db: Executor, limit: number, beforeId: number | undefined): Promise<ReportSummaryRow[]> {
  let query = db.selectFrom('report').select(SUMMARY).orderBy('id', 'desc').limit(limit)
  if (beforeId !== undefined) query = query.where('id', '<', beforeId)
  return query.execute()
}

export async function findReport(db: Executor, id: number): Promise<ReportRow | undefined> {
  return db.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The first day of the month before `now`'s and of `now`'s, in the time zone, as instants. */
export async function previousMonth(db: Executor, now: Date, timeZone: string): Promise<{ from: Date; to: Date }> {
  const { rows } = await sql<{ from: Date; to: Date }>`
    SELECT (date_trunc('month', ${now}::timestamptz AT TIME ZONE ${timeZone}) - interval '1 month') AT TIME ZONE ${timeZone} AS from,
      date_trunc('month', ${now}::timestamptz AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone} AS to`.execute(db)
  return rows[0]!
}
