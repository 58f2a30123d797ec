import { createHash } from 'node:crypto'
import type { ReportKind, ReportRow } from '../db/tables/report.js'
import { ERRORS } from '../errors.js'
import { canonicalJson } from '../ledger/canonical-json.js'
import { entryHash } from '../ledger/entry.js'
import { merkleRoot } from '../ledger/merkle.js'
import { appendRecord, findRecord, recordLeafHash } from '../ledger/record.js'
import { lockLedger } from '../ledger/repository.js'
import type { TraceDb } from '../traceability/walk.js'
import { activityReport, type ActivityReport } from './activity.js'
import { categoryMatchers } from './categories.js'
import { chainReport, type ChainReport } from './chain.js'
import { findReport, insertReport, nextReportId, previousMonth, scheduledReportExists, type ReportSummaryRow } from './kept-repository.js'
import type { ReportScope } from './scope.js'

export const RECORD_KIND = 'report'

export interface ReportSettings {
  originDepth: number
  timeZone: string
}

export async function buildReport(deps: TraceDb, kind: ReportKind, scope: ReportScope, settings: ReportSettings, now = new Date()): Promise<ActivityReport | ChainReport> {
  const categories = await categoryMatchers(deps.db)
  return kind === 'activity' ? activityReport(deps, scope, categories, now) : chainReport(deps.db, scope, categories, settings.originDepth, now)
}

export const contentHash = (content: string) => createHash('sha256').update(content, 'utf8').digest()

export interface KeptReportView {
  id: string
  kind: ReportKind
  from: string
  to: string
  organization?: string
  category?: string
  trigger: 'schedule' | 'request'
  /** SHA-256 (hex) of the report's JSON download, byte for byte */
  contentHash: string
  ledgerSeq: number
  createdAt: string
}

export function keptReportView(row: ReportSummaryRow): KeptReportView {
  return {
    id: String(row.id),
    kind: row.kind,
    from: row.period_from.toISOString(),
    to: row.period_to.toISOString(),
    ...row.filters,
    trigger: row.trigger,
    contentHash: row.content_hash.toString('hex'),
    ledgerSeq: row.ledger_seq,
    createdAt: row.created_at.toISOString(),
  }
}

/**
 * Generates a report and keeps it: its content as canonical JSON (the bytes its JSON download is), the SHA-256 of
 * those bytes, and a ledger entry committing to that hash, in one transaction. A scheduled report is kept once per
 * kind and period, whichever instance runs the schedule: undefined when it already was.
 */
export async function keepReport(
  deps: TraceDb,
  kind: ReportKind,
  scope: ReportScope,
  trigger: 'schedule' | 'request',
  settings: ReportSettings,
): Promise<ReportSummaryRow | undefined> {
  const report = await buildReport(deps, kind, scope, settings)
  const content = canonicalJson(report)
  const hash = contentHash(content)
  return deps.db.transaction().execute(async (trx) => {
    await lockLedger(trx)
    if (trigger === 'schedule' && (await scheduledReportExists(trx, kind, scope.from, scope.to))) return undefined
    const id = await nextReportId(trx)
    const ledgerSeq = await appendRecord(trx, { kind: RECORD_KIND, subject: String(id), digest: hash })
    const filters: Record<string, string> = {
      ...(scope.organization === undefined ? {} : { organization: scope.organization }),
      ...(scope.category === undefined ? {} : { category: scope.category }),
    }
    const row = { id, kind, period_from: scope.from, period_to: scope.to, filters, trigger, content, content_hash: hash, ledger_seq: ledgerSeq }
    await insertReport(trx, row)
    return { ...row, created_at: new Date() }
  })
}

/** The monthly reports (activity and chain, whole province) of the month before `now`, in the configured time zone. */
export async function keepPeriodicReports(deps: TraceDb, settings: ReportSettings, now = new Date()): Promise<ReportSummaryRow[]> {
  const { from, to } = await previousMonth(deps.db, now, settings.timeZone)
  const kept: ReportSummaryRow[] = []
  for (const kind of ['activity', 'chain'] as const) {
    const row = await keepReport(deps, kind, { from, to }, 'schedule', settings)
    if (row) kept.push(row)
  }
  return kept
}

export async function keptReport(deps: TraceDb, id: string): Promise<ReportRow> {
  const row = /^[0-9]{1,15}$/.test(id) ? await findReport(deps.db, Number(id)) : undefined
  if (!row) throw ERRORS.noSuchResource(`No kept report ${id}`)
  return row
}

export interface ReportProof {
  id: string
  /** SHA-256 of the content as stored now */
  contentHash: string
  /** SHA-256 recorded in the ledger when the report was kept */
  recordedHash: string | null
  ledgerSeq: number
  leafHash: string | null
  merkleRoot: string | null
  entryHash: string | null
  /** the content hashes to the recorded hash, and the record gives its entry's Merkle root and entry hash */
  unchanged: boolean
}

/**
 * Shows that a kept report is unchanged: its content hash now, the hash its ledger entry recorded, and the entry's
 * root and hash recomputed (GET /ledger/verify checks that the entry is in the chain).
 */
export async function reportProof(deps: TraceDb, id: string): Promise<ReportProof> {
  const row = await keptReport(deps, id)
  const now = contentHash(row.content)
  const [record, entry] = await Promise.all([
    findRecord(deps.db, row.ledger_seq),
    deps.db.selectFrom('ledger_entry').selectAll().where('seq', '=', row.ledger_seq).executeTakeFirst(),
  ])
  const leaf = record ? recordLeafHash(record) : null
  const root = leaf ? merkleRoot([leaf]) : null
  const entryMatches =
    !!entry &&
    !!root &&
    root.equals(entry.merkle_root) &&
    entryHash({ seq: entry.seq, time: entry.created_at, leafCount: entry.leaf_count, merkleRoot: entry.merkle_root, previousHash: entry.previous_hash }).equals(entry.entry_hash)
  return {
    id: String(row.id),
    contentHash: now.toString('hex'),
    recordedHash: record ? record.digest.toString('hex') : null,
    ledgerSeq: row.ledger_seq,
    leafHash: leaf?.toString('hex') ?? null,
    merkleRoot: entry ? entry.merkle_root.toString('hex') : null,
    entryHash: entry ? entry.entry_hash.toString('hex') : null,
    unchanged: !!record && record.kind === RECORD_KIND && record.subject === String(row.id) && record.digest.equals(now) && entryMatches,
  }
}
