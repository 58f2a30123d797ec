import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { queueConnection } from '../plugins/queue.js'
import type PgBoss from 'pg-boss'
import { eventIdFor } from './assign-event-id.js'
import { recordPrefixes } from '../company-prefix/repository.js'
import { insertEvents, insertMasterData, upsertContext } from './event-repository.js'
import { findCaptureJob, finishJob, insertCaptureJob, lockUnfinishedJob, markJobRunning, type JobOwner } from './job-repository.js'
import type { ResolvedContext } from '../epcis/json-ld-context.js'
import { appendToLedger, ledgerLeaves, type LedgerLeafInput } from '../ledger/append.js'
import { prepareCapture, prepareSingleEvent, type PreparedCapture, type PreparedEvent } from './prepare.js'

export const CAPTURE_QUEUE = 'capture'

export interface CaptureDeps {
  db: Db
  queue: PgBoss
  captureLimit: number
}

/**
 * Checks a capture document completely, then stores it with its job in one transaction.
 * Nothing is stored for a document that `rollback` rejects.
 */
export async function acceptCapture(
  deps: CaptureDeps,
  document: unknown,
  behaviour: CaptureErrorBehaviour,
  options: { schemaChecked?: boolean; organisationId?: string | null } = {},
): Promise<{ captureId: string }> {
  const prepared = await prepareCapture(document, {
    behaviour,
    captureLimit: deps.captureLimit,
    skipSchema: options.schemaChecked,
  })
  // Every event is checked before the job exists; the indexes are computed again by the worker.
  await prepared.eachSlice(INSERT_BATCH, async () => {})
  const { eventCount, errors } = prepared
  // Serialised first, so that a large document's objects are free to go while its text is stored.
  const text = JSON.stringify(document)
  const captureId = randomUUID()
  await deps.db.transaction().execute(async (trx) => {
    await insertCaptureJob(trx, {
      captureId,
      behaviour,
      document: text,
      eventCount,
      errors,
      organisationId: options.organisationId ?? null,
    })
    await deps.queue.send(CAPTURE_QUEUE, { captureId }, { db: queueConnection(trx), retryLimit: 5, retryDelay: 2, expireInSeconds: 300 })
  })
  return { captureId }
}

export const MAX_ATTEMPTS = 6

/** Events per insert statement in a capture job. */
const INSERT_BATCH = 2000

/**
 * Stores a job's events: all of them, the job's outcome and its master data in one transaction, so
 * a crash leaves either everything or nothing (and the queue runs the job again).
 */
export async function runCaptureJob(deps: Pick<CaptureDeps, 'db' | 'captureLimit'>, captureId: string): Promise<void> {
  await markJobRunning(deps.db, captureId)
  await deps.db.transaction().execute(async (trx) => {
    const job = await lockUnfinishedJob(trx, captureId)
    if (!job || job.document === null) return
    let prepared: PreparedCapture
    try {
      const listed = job.errors as ProblemItem[]
      prepared = await prepareCapture(JSON.parse(job.document), {
        behaviour: job.error_behaviour,
        captureLimit: Number.MAX_SAFE_INTEGER,
        skipSchema: true,
        exclude: new Set(listed.flatMap((e) => (e.eventIndex === undefined ? [] : [e.eventIndex]))),
      })
    } catch (error) {
      const items = (error as { errors?: ProblemItem[] }).errors ?? [{ message: (error as Error).message }]
      await finishJob(trx, captureId, { status: 'failed', storedCount: 0, errors: items })
      return
    }
    // Parsed: the text of a large document is not kept for the rest of the job.
    job.document = null
    const contextId = await upsertContext(trx, prepared.context)
    let stored = 0
    let duplicates = 0
    const leaves: LedgerLeafInput[] = []
    // Slices keep each statement (and the indexes in memory) small however large the document is.
    await prepared.eachSlice(INSERT_BATCH, async (slice) => {
      const events = slice.map((e) => ({ eventId: eventIdFor(e), body: e.body, indexed: e.indexed }))
      const result = await insertEvents(trx, events, { captureJobId: job.id, contextId, organisationId: job.organisation_id })
      leaves.push(...ledgerLeaves(result.stored))
      stored += result.ids.length
      duplicates += result.duplicates
      await recordPrefixes(trx, events.flatMap((e) => e.indexed.companyPrefixes), 'captured')
    }, { release: true })
    await appendToLedger(trx, leaves, { captureJobId: job.id })
    const errors = mergeErrors(job.errors as ProblemItem[], prepared.errors)
    await insertMasterData(trx, prepared.masterData, job.id, job.organisation_id)
    await finishJob(trx, captureId, { status: 'succeeded', storedCount: stored, duplicateCount: duplicates, errors })
  })
}

/** Gives up on a job that failed on every attempt, saying so in the job, with nothing stored. */
export async function abandonCaptureJob(db: Db, captureId: string): Promise<void> {
  await finishJob(db, captureId, {
    status: 'failed',
    storedCount: 0,
    errors: [{ message: 'The repository could not store this capture; no event of it was stored. Submit it again.' }],
  })
}

function mergeErrors(known: ProblemItem[], found: ProblemItem[]): ProblemItem[] {
  const seen = new Set(known.map((e) => `${e.eventIndex}:${e.pointer}:${e.message}`))
  return [...known, ...found.filter((e) => !seen.has(`${e.eventIndex}:${e.pointer}:${e.message}`))]
}

/** POST /events: validates and stores one event synchronously; an event already stored is a 409. */
export async function captureSingleEvent(db: Db, body: unknown, organisationId: string | null = null): Promise<{ eventId: string }> {
  return storeSingleEvent(db, await prepareSingleEvent(body), organisationId)
}

/** POST /events with an XML EPCISDocument holding exactly one event (XSD-checked and converted). */
export async function captureSingleXmlEvent(
  db: Db,
  document: Record<string, unknown>,
  organisationId: string | null = null,
): Promise<{ eventId: string }> {
  const prepared = await prepareCapture(document, { behaviour: 'rollback', captureLimit: Number.MAX_SAFE_INTEGER, skipSchema: true })
  if (prepared.eventCount !== 1) {
    throw ERRORS.validation('POST /events takes an EPCISDocument holding exactly one event; send larger documents to /capture')
  }
  const events: PreparedEvent[] = []
  await prepared.eachSlice(1, async (slice) => void events.push(...slice))
  return storeSingleEvent(db, { context: prepared.context, event: events[0]! }, organisationId)
}

async function storeSingleEvent(
  db: Db,
  { context, event }: { context: ResolvedContext; event: PreparedEvent },
  organisationId: string | null,
): Promise<{ eventId: string }> {
  const eventId = eventIdFor(event)
  const { duplicates } = await db.transaction().execute(async (trx) => {
    const contextId = await upsertContext(trx, context)
    const result = await insertEvents(trx, [{ eventId, body: event.body, indexed: event.indexed }], { captureJobId: null, contextId, organisationId })
    await appendToLedger(trx, ledgerLeaves(result.stored), { captureJobId: null })
    await recordPrefixes(trx, event.indexed.companyPrefixes, 'captured')
    return result
  })
  if (duplicates > 0) {
    throw ERRORS.alreadyExists(`The event is already stored (event hash ${event.indexed.eventHash}); nothing was changed`)
  }
  return { eventId }
}

/** `owner`: only that organisation's job (undefined for callers that see every job). */
export async function getCaptureJob(db: Db, captureId: string, owner?: JobOwner) {
  const job = await findCaptureJob(db, captureId, owner)
  if (!job) throw ERRORS.noSuchResource(`No capture job ${captureId}`)
  return job
}
