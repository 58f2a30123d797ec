import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { queueConnection } from '../plugins/queue.js'
import type PgBoss from 'pg-boss'
import { eventIdFor } from './assign-event-id.js'
import { recordPrefixes } from '../company-prefix/repository.js'
import { insertEvents, insertMasterData, upsertContext } from './event-repository.js'
import { findCaptureJob, finishJob, insertCaptureJob, lockUnfinishedJob, markJobRunning } from './job-repository.js'
import { prepareCapture, prepareSingleEvent, type PreparedCapture } from './prepare.js'

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
): Promise<{ captureId: string }> {
  const prepared = await prepareCapture(document, { behaviour, captureLimit: deps.captureLimit })
  const captureId = randomUUID()
  await deps.db.transaction().execute(async (trx) => {
    await insertCaptureJob(trx, {
      captureId,
      behaviour,
      document: JSON.stringify(document),
      eventCount: prepared.eventCount,
      errors: prepared.errors,
    })
    await deps.queue.send(CAPTURE_QUEUE, { captureId }, { db: queueConnection(trx), retryLimit: 5, retryDelay: 2, expireInSeconds: 300 })
  })
  return { captureId }
}

export const MAX_ATTEMPTS = 6

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
      prepared = await prepareCapture(JSON.parse(job.document), {
        behaviour: job.error_behaviour,
        captureLimit: Number.MAX_SAFE_INTEGER,
        skipSchema: job.errors.length === 0,
      })
    } catch (error) {
      const items = (error as { errors?: ProblemItem[] }).errors ?? [{ message: (error as Error).message }]
      await finishJob(trx, captureId, { status: 'failed', storedCount: 0, errors: items })
      return
    }
    const errors = mergeErrors(job.errors as ProblemItem[], prepared.errors)
    const contextId = await upsertContext(trx, prepared.context)
    const events = prepared.events.map((e) => ({ eventId: eventIdFor(e), body: e.body, indexed: e.indexed }))
    const { ids, duplicates } = await insertEvents(trx, events, { captureJobId: job.id, contextId })
    await recordPrefixes(trx, events.flatMap((e) => e.indexed.companyPrefixes), 'captured')
    await insertMasterData(trx, prepared.masterData, job.id)
    await finishJob(trx, captureId, { status: 'succeeded', storedCount: ids.length, duplicateCount: duplicates, errors })
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
export async function captureSingleEvent(db: Db, body: unknown): Promise<{ eventId: string }> {
  const { context, event } = await prepareSingleEvent(body)
  const eventId = eventIdFor(event)
  const { duplicates } = await db.transaction().execute(async (trx) => {
    const contextId = await upsertContext(trx, context)
    const result = await insertEvents(trx, [{ eventId, body: event.body, indexed: event.indexed }], { captureJobId: null, contextId })
    await recordPrefixes(trx, event.indexed.companyPrefixes, 'captured')
    return result
  })
  if (duplicates > 0) {
    throw ERRORS.alreadyExists(`The event is already stored (event hash ${event.indexed.eventHash}); nothing was changed`)
  }
  return { eventId }
}

export async function getCaptureJob(db: Db, captureId: string) {
  const job = await findCaptureJob(db, captureId)
  if (!job) throw ERRORS.noSuchResource(`No capture job ${captureId}`)
  return job
}
