import { once } from 'node:events'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { eventLeafHash } from '../../ledger/append.js'
import { lotMembershipsOf } from '../../traceability/lot-membership.js'
import { eventIdFor } from '../assign-event-id.js'
import { insertionKey } from '../insertion-order.js'
import type { PreparedEvent } from '../prepare.js'
import { STAGED_EVENT_COLUMNS, stagedEventLine, type StagedEvent } from './staged-event.js'

/** A prepared event with its key and what its ledger leaf and lot rows need. */
export function stagedEventOf(prepared: PreparedEvent, pk: number): StagedEvent {
  const eventId = eventIdFor(prepared)
  const { body, indexed, position } = prepared
  return {
    pk,
    position,
    eventId,
    body,
    indexed,
    declaredKey: insertionKey({ eventId, indexed })[2],
    leafHash: eventLeafHash({ eventId, body, indexed }),
    lots: lotMembershipsOf(body, indexed),
  }
}

const COPY_STAGED = `COPY capture_staged_event (${STAGED_EVENT_COLUMNS.join(', ')}) FROM STDIN`

/**
 * Lines written to the COPY together: each write is a CopyData message and two socket writes, so a write per line
 * cost a thousand system calls per thousand events.
 */
const WRITE_CHARS = 64 * 1024

/** Writes events to capture_staged_event with one COPY, lines gathered into large writes, waiting whenever the connection is full. */
export async function copyStagedEvents(client: pg.PoolClient, jobId: number, events: Iterable<StagedEvent>): Promise<void> {
  const stream = client.query(copyFrom(COPY_STAGED))
  const finished = once(stream, 'finish')
  // An error ends the COPY; the write loop stops at its next wait and the caller's transaction rolls back.
  let failed: unknown
  stream.on('error', (error) => (failed = error))
  let lines = ''
  for (const event of events) {
    if (failed) break
    lines += stagedEventLine(jobId, event)
    if (lines.length < WRITE_CHARS) continue
    const full = !stream.write(lines)
    lines = ''
    if (full) await Promise.race([once(stream, 'drain'), finished])
  }
  if (lines.length > 0 && !failed) stream.write(lines)
  stream.end()
  await finished.catch((error: unknown) => (failed ??= error))
  if (failed) throw failed
}
