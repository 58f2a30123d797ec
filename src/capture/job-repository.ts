import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { CaptureErrorBehaviour, CaptureJobRow, CaptureJobStatus } from '../db/tables/capture-job.js'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { ProblemItem } from '../errors.js'
import { storableText } from '../epcis/storable.js'
import type { Capturer } from './capturer.js'

type Executor = Kysely<Database> | Transaction<Database>

export type CaptureJobSummary = Omit<CaptureJobRow, 'document' | 'declares_for_all' | 'staged' | 'company_prefixes' | JobSourceColumn>

/** Who delivered a job (migrations/0033_event_provenance.sql): read by the worker, not shown. */
const sourceColumns = ['source_api_key', 'source_peer', 'source_repository', 'asserts_provenance'] as const
type JobSourceColumn = (typeof sourceColumns)[number]

const summaryColumns = [
  'id', 'capture_id', 'status', 'error_behaviour', 'event_count', 'stored_count', 'duplicate_count', 'errors', 'attempts',
  'created_at', 'started_at', 'finished_at', 'organisation_id',
] as const

/** A new job, still empty: its parts and then its document follow in the same transaction. */
export async function insertCaptureJob(
  db: Executor,
  job: { captureId: string; behaviour: CaptureErrorBehaviour } & Capturer,
): Promise<number> {
  // Its events are staged (capture_staged_event) as they are accepted.
  const row = await db
    .insertInto('capture_job')
    .values({
      capture_id: job.captureId,
      error_behaviour: job.behaviour,
      document: null,
      event_count: 0,
      organisation_id: job.organisationId,
      declares_for_all: job.declaresForAll,
      staged: true,
      source_api_key: job.sourceApiKey ?? null,
      source_peer: job.sourcePeer?.id ?? null,
      source_repository: job.sourcePeer?.repository ?? null,
      asserts_provenance: (job.assertsProvenance ?? false) || job.sourcePeer != null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The job's document without its events, how many events the document held, and the events found invalid. */
export async function completeCaptureJob(
  db: Executor,
  jobId: number,
  job: { document: string; eventCount: number; errors: ProblemItem[]; companyPrefixes: string[] },
): Promise<void> {
  await db
    .updateTable('capture_job')
    .set({
      document: job.document,
      event_count: job.eventCount,
      errors: storableErrors(job.errors),
      company_prefixes: job.companyPrefixes,
    })
    .where('id', '=', jobId)
    .execute()
}

/**
 * Opens a cursor, for the rest of the transaction, over every event in a job's parts in insertion order (by the
 * insertion key each entry carries, compared as compareInsertionKeys does), then by place in the document.
 * PostgreSQL sorts them, so the worker never holds the job whole.
 */
export async function openJobEvents(trx: Transaction<Database>, jobId: number): Promise<void> {
  await sql`
    DECLARE job_events NO SCROLL CURSOR FOR
    SELECT e.value::text AS entry
    FROM capture_job_part p CROSS JOIN LATERAL json_array_elements(p.events::json) WITH ORDINALITY AS e(value, n)
    WHERE p.capture_job_id = ${sql.lit(Math.trunc(jobId))}
    ORDER BY (e.value->2->>0) COLLATE "C", (e.value->2->>1) COLLATE "C", (e.value->2->>2) COLLATE "C", p.seq, e.n`.execute(trx)
}

/** The next `count` entries of openJobEvents' cursor, each a JSON text; none when the cursor is done. */
export async function readJobEvents(trx: Transaction<Database>, count: number): Promise<string[]> {
  const result = await sql<{ entry: string }>`FETCH FORWARD ${sql.lit(Math.trunc(count))} FROM job_events`.execute(trx)
  return result.rows.map((r) => r.entry)
}

/** `owner`: only that organisation's job (undefined: any job, for callers that see everything). */
export async function findCaptureJob(db: Executor, captureId: string, owner?: JobOwner): Promise<CaptureJobSummary | undefined> {
  return db
    .selectFrom('capture_job')
    .select(summaryColumns)
    .where('capture_id', '=', captureId)
    .$if(owner !== undefined, (q) => q.where(ownedBy(owner!)))
    .executeTakeFirst()
}

/** The organisation whose jobs a caller may read; null for an operator key's own jobs. */
export interface JobOwner {
  organisationId: string | null
}

const ownedBy = (owner: JobOwner) =>
  owner.organisationId === null ? sql<boolean>`organisation_id IS NULL` : sql<boolean>`organisation_id = ${owner.organisationId}`

/** Jobs newest first, after the (created_at, id) of the last row of the previous page; `owner` as in findCaptureJob. */
export async function listCaptureJobs(
  db: Executor,
  limit: number,
  after?: { createdAt: string; id: number },
  owner?: JobOwner,
): Promise<CaptureJobSummary[]> {
  let query = db.selectFrom('capture_job').select(summaryColumns)
  if (owner) query = query.where(ownedBy(owner))
  if (after) {
    query = query.where(sql<boolean>`(created_at, id) < (${after.createdAt}::timestamptz, ${after.id})`)
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}

/**
 * Locks an unfinished job for this worker's transaction and marks it running. Returns undefined
 * when the job is already finished (a retry after success) or locked by another worker.
 */
export async function lockUnfinishedJob(
  trx: Transaction<Database>,
  captureId: string,
): Promise<(CaptureJobSummary & Pick<CaptureJobRow, 'document' | 'declares_for_all' | 'staged' | 'company_prefixes' | JobSourceColumn>) | undefined> {
  return trx
    .selectFrom('capture_job')
    .select([...summaryColumns, 'document', 'declares_for_all', 'staged', 'company_prefixes', ...sourceColumns])
    .where('capture_id', '=', captureId)
    .where('status', 'in', ['queued', 'running'])
    .forUpdate()
    .skipLocked()
    .executeTakeFirst()
}

export async function markJobRunning(db: Db, captureId: string): Promise<void> {
  await db
    .updateTable('capture_job')
    .set((eb) => ({ status: 'running', started_at: new Date(), attempts: eb('attempts', '+', 1) }))
    .where('capture_id', '=', captureId)
    .where('status', 'in', ['queued', 'running'])
    .execute()
}

export async function finishJob(
  db: Executor,
  captureId: string,
  outcome: { status: CaptureJobStatus; storedCount: number; duplicateCount?: number; errors: ProblemItem[] },
): Promise<void> {
  await db
    .updateTable('capture_job')
    .set({
      status: outcome.status,
      stored_count: outcome.storedCount,
      duplicate_count: outcome.duplicateCount ?? 0,
      errors: storableErrors(outcome.errors),
      finished_at: new Date(),
      document: null,
    })
    .where('capture_id', '=', captureId)
    .execute()
  // A finished job's events are in the event table (or refused): its parts and staged events are not kept.
  await sql`
    WITH job AS (SELECT id FROM capture_job WHERE capture_id = ${captureId}),
    parts AS (DELETE FROM capture_job_part WHERE capture_job_id = (SELECT id FROM job))
    DELETE FROM capture_staged_event WHERE capture_job_id = (SELECT id FROM job)`.execute(db)
}

/** A job's errors as jsonb text; a message quoting what could not be stored (a lone surrogate, say) quotes it mended. */
function storableErrors(errors: ProblemItem[]): string {
  return JSON.stringify(errors, (_key, value: unknown) => (typeof value === 'string' ? storableText(value) : value))
}
