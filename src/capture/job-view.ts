import type { ProblemItem } from '../errors.js'
import type { CaptureJobSummary } from './job-repository.js'

/** A capture job as the EPCIS 2.0 REST binding describes it; each error is an RFC 7807 problem. */
export function captureJobView(job: CaptureJobSummary) {
  const running = job.status === 'queued' || job.status === 'running'
  const errors = (job.errors as ProblemItem[]).map((item) => ({
    type: 'epcisException:ValidationException',
    title: item.eventIndex === undefined ? 'The capture failed' : `Event ${item.eventIndex} is invalid`,
    status: 400,
    detail: item.message,
    ...(item.pointer !== undefined ? { instance: item.pointer, pointer: item.pointer } : {}),
    ...(item.eventIndex !== undefined ? { eventIndex: item.eventIndex } : {}),
  }))
  const success = !running && job.status === 'succeeded' && errors.length === 0
  return {
    captureID: job.capture_id,
    createdAt: job.created_at.toISOString(),
    ...(job.finished_at ? { finishedAt: job.finished_at.toISOString() } : {}),
    running,
    success,
    captureErrorBehaviour: job.error_behaviour,
    status: job.status,
    eventCount: job.event_count,
    storedCount: job.stored_count,
    duplicateCount: job.duplicate_count,
    errors,
    outcome: outcomeOf(job, running, success),
  }
}

/**
 * `success` is the EPCIS 2.0 flag (no error occurred), `status` where the job is (a `proceed` job that
 * refused some events still ran to its end: "succeeded"); this sentence says which case the pair is.
 */
function outcomeOf(job: CaptureJobSummary, running: boolean, success: boolean): string {
  if (running) return 'The job is still running.'
  if (success) return `All events were captured: ${job.stored_count} stored, ${job.duplicate_count} already stored.`
  if (job.status === 'succeeded') {
    return (
      `Some events were captured but errors occurred (success is false): ${job.stored_count} stored, ` +
      `${job.duplicate_count} already stored, the events listed in errors refused; the job itself ran to its end (status succeeded).`
    )
  }
  return 'No event was stored: the capture was rejected (see errors).'
}

export const captureJobSchema = {
  type: 'object',
  properties: {
    captureID: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    running: { type: 'boolean' },
    success: { type: 'boolean' },
    captureErrorBehaviour: { type: 'string', enum: ['rollback', 'proceed'] },
    status: {
      type: 'string',
      enum: ['queued', 'running', 'succeeded', 'failed'],
      description:
        'Where the job is: succeeded means it ran to its end, which for captureErrorBehaviour proceed may have refused ' +
        'some events; success (EPCIS 2.0) is true only when no error occurred.',
    },
    eventCount: { type: 'integer' },
    storedCount: { type: 'integer', description: 'Events stored by this job' },
    duplicateCount: { type: 'integer', description: 'Events skipped because they were already stored (same eventID and CBV 2.0 event hash)' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          pointer: { type: 'string' },
          eventIndex: { type: 'integer' },
        },
      },
    },
    outcome: { type: 'string', description: 'What running, success and status say together, in words' },
  },
  required: ['captureID', 'createdAt', 'running', 'success', 'captureErrorBehaviour', 'errors'],
} as const
