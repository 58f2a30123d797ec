import { randomUUID } from 'node:crypto'
import type PgBoss from 'pg-boss'
import type { Db } from '../db/database.js'
import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { masterDataOf, type EpcisDocument } from '../epcis/document.js'
import { checkMasterDataOwnership } from '../vocabulary/ownership.js'
import type { ProblemItem } from '../errors.js'
import { queueConnection } from '../plugins/queue.js'
import { completeCaptureJob, insertCaptureJob, insertJobPart } from './job-repository.js'
import type { PreparedEvent } from './prepare.js'
import { eventIdFor } from './assign-event-id.js'
import { insertionKey } from './insertion-order.js'
import type { Capturer } from './capturer.js'

export const CAPTURE_QUEUE = 'capture'

/** Events per part of a capture job: what the request and the worker hold of a document at a time. */
export const PART_SIZE = 1000

/** JSON text per part at most (unless one event is longer): what the worker parses and indexes between two turns. */
export const PART_CHARS = 4 * 1024 * 1024

/**
 * Takes a document's accepted events a slice at a time, each slice stored as one part of the job. Each
 * event comes as the JSON text of its [position, event, insertion key] triple (jobPartEntry), so that a caller
 * can let go of an event's objects as soon as it is checked.
 */
export type JobParts = (entries: string[]) => Promise<void>

/**
 * An accepted event as it is kept in a job part. Its insertion key lets the worker read the job's events in
 * the order every capture inserts them (readJobEvents), whatever part they are in.
 */
export function jobPartEntry(event: PreparedEvent): string {
  return JSON.stringify([event.position, event.body, insertionKey({ eventId: eventIdFor(event), indexed: event.indexed })])
}

export interface FilledJob {
  /** The document without its events: header, @context, master data. */
  shell: EpcisDocument
  /** Events in the document, accepted or not. */
  eventCount: number
  /** Events found invalid (only ever under `proceed`). */
  errors: ProblemItem[]
}

/**
 * Stores a capture job in one transaction: the job, its events in parts as `fill` hands them over, its
 * document without the events, and its queue message. Whatever `fill` throws leaves nothing stored, so a
 * document refused halfway through (rollback, a limit) never becomes a job.
 */
export async function writeCaptureJob(
  deps: { db: Db; queue: PgBoss },
  job: { behaviour: CaptureErrorBehaviour } & Capturer,
  fill: (parts: JobParts) => Promise<FilledJob>,
): Promise<{ captureId: string }> {
  const captureId = randomUUID()
  await deps.db.transaction().execute(async (trx) => {
    const jobId = await insertCaptureJob(trx, { captureId, ...job })
    let seq = 0
    const filled = await fill(async (entries) => {
      // A slice of large events is cut again, so that the worker never parses more than PART_CHARS at once.
      let run: string[] = []
      let chars = 0
      for (const entry of entries) {
        if (run.length > 0 && chars + entry.length > PART_CHARS) {
          await insertJobPart(trx, jobId, seq++, `[${run.join(',')}]`)
          run = []
          chars = 0
        }
        run.push(entry)
        chars += entry.length + 1
      }
      if (run.length > 0) await insertJobPart(trx, jobId, seq++, `[${run.join(',')}]`)
    })
    await checkMasterDataOwnership(trx, masterDataOf(filled.shell), job.organisationId)
    await completeCaptureJob(trx, jobId, { document: JSON.stringify(filled.shell), eventCount: filled.eventCount, errors: filled.errors })
    await deps.queue.send(CAPTURE_QUEUE, { captureId }, { db: queueConnection(trx), retryLimit: 5, retryDelay: 2, expireInSeconds: 300 })
  })
  return { captureId }
}
