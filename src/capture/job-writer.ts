import { randomUUID } from 'node:crypto'
import type PgBoss from 'pg-boss'
import type pg from 'pg'
import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { inClientTransaction } from '../db/client-transaction.js'
import { masterDataOf, type EpcisDocument } from '../epcis/document.js'
import { checkMasterDataOwnership } from '../vocabulary/ownership.js'
import type { ProblemItem } from '../errors.js'
import { queueConnection } from '../plugins/queue.js'
import { completeCaptureJob, insertCaptureJob } from './job-repository.js'
import { reserveEventKeys } from './event-repository.js'
import type { PreparedEvent } from './prepare.js'
import type { Capturer } from './capturer.js'
import { copyStagedEvents, stagedEventOf } from './staging/stage-events.js'

export const CAPTURE_QUEUE = 'capture'

/**
 * Events the request checks, indexes and stages at a time: what it holds of a document's objects at once. Small
 * enough that a part's objects mostly die young: a part of 1000 outlived the young generation, so every event
 * went through the old one, which grew to about 200 MB of garbage before it was collected (250: about 140 MB).
 */
export const PART_SIZE = 250

/**
 * Takes a document's accepted events a slice at a time (in document order) and stages them (capture_staged_event),
 * so that a caller can let go of a slice's objects once it is staged.
 */
export type JobParts = (events: PreparedEvent[]) => Promise<void>

export interface FilledJob {
  /** The document without its events: header, @context, master data. */
  shell: EpcisDocument
  /** Events in the document, accepted or not. */
  eventCount: number
  /** Events found invalid (only ever under `proceed`). */
  errors: ProblemItem[]
}

/**
 * Stores a capture job in one transaction: the job, its events staged as `fill` hands them over (each with its
 * key, reserved in document order, and its rows), its document without the events, and its queue message.
 * Whatever `fill` throws leaves nothing stored, so a document refused halfway through (rollback, a limit) never
 * becomes a job.
 */
export async function writeCaptureJob(
  deps: { pool: pg.Pool; queue: PgBoss },
  job: { behaviour: CaptureErrorBehaviour } & Capturer,
  fill: (parts: JobParts) => Promise<FilledJob>,
): Promise<{ captureId: string }> {
  const captureId = randomUUID()
  await inClientTransaction(deps.pool, async (client, trx) => {
    const jobId = await insertCaptureJob(trx, { captureId, ...job })
    const prefixes = new Set<string>()
    const filled = await fill(async (events) => {
      if (events.length === 0) return
      const keys = await reserveEventKeys(trx, events.length)
      for (const event of events) for (const prefix of event.indexed.companyPrefixes) prefixes.add(prefix)
      await copyStagedEvents(client, jobId, stagedEvents(events, keys))
    })
    await checkMasterDataOwnership(trx, masterDataOf(filled.shell), job.organisationId)
    await completeCaptureJob(trx, jobId, {
      document: JSON.stringify(filled.shell),
      eventCount: filled.eventCount,
      errors: filled.errors,
      companyPrefixes: [...prefixes],
    })
    await deps.queue.send(CAPTURE_QUEUE, { captureId }, { db: queueConnection(trx), retryLimit: 5, retryDelay: 2, expireInSeconds: 300 })
  })
  return { captureId }
}

/** Each event made ready to stage only as the COPY takes it, so that its rows are never all in memory at once. */
function* stagedEvents(events: PreparedEvent[], keys: number[]) {
  for (let i = 0; i < events.length; i++) yield stagedEventOf(events[i]!, keys[i]!)
}
