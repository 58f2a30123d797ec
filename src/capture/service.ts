import type { Db } from '../db/database.js'
import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import type PgBoss from 'pg-boss'
import type pg from 'pg'
import { eventIdFor } from './assign-event-id.js'
import { recordPrefixes } from '../company-prefix/repository.js'
import { insertEvents, insertMasterData, reserveEventKeys, upsertContext, type EventToStore } from './event-repository.js'
import { findCaptureJob, finishJob, lockUnfinishedJob, markJobRunning, openJobEvents, readJobEvents, type JobOwner } from './job-repository.js'
import { resolveContext, type ResolvedContext } from '../epcis/json-ld-context.js'
import { collectExtensionNames, documentShell, eventListOf, masterDataOf, type EpcisEvent } from '../epcis/document.js'
import { appendToLedger, eventLeafHash, ledgerLeaves, type LedgerLeafInput } from '../ledger/append.js'
import { setImmediate } from 'node:timers/promises'
import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { parseJsonExactly } from '../epcis/exact-json.js'
import { PART_SIZE, writeCaptureJob } from './job-writer.js'
import { prepareCapture, prepareListedEvent, prepareSingleEvent, type PreparedEvent } from './prepare.js'
import { DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './limits.js'
import { turnTaker } from './event-loop.js'
import { conflictMessage, findIdentityConflicts, type IdentityConflict } from './identity-conflicts.js'
import { insertStagedRow, moveStagedEvents } from './staging/move-staged.js'
import { stagedEventOf } from './staging/stage-events.js'
import { stagedEventRow } from './staging/staged-event.js'
import { knownRows, remember } from './known-rows.js'
import { OPERATOR, type Capturer } from './capturer.js'
import { elementsOwnedByOthers, ownedElsewhereItems } from '../vocabulary/ownership.js'
import { assignPublicationStates } from '../publication/assign.js'
import { recordProvenance, singleDelivery } from '../federation/provenance-repository.js'
import { recordedElsewhere } from '../federation/recording-organisations.js'

export interface CaptureDeps {
  db: Db
  /** The same database as `db`, for COPY (staging a job's events). */
  pool: pg.Pool
  queue: PgBoss
  captureLimit: number
  /** Per-event and per-document bounds checked before a capture is accepted; the defaults when left out. */
  limits?: CaptureLimits
}

/**
 * Checks a capture document completely and stores it as a job, in parts, in one transaction.
 * Nothing is stored for a document that `rollback` rejects.
 */
export async function acceptCapture(
  deps: CaptureDeps,
  document: unknown,
  behaviour: CaptureErrorBehaviour,
  capturer: Capturer = OPERATOR,
): Promise<{ captureId: string }> {
  const prepared = await prepareCapture(document, { behaviour, captureLimit: deps.captureLimit, limits: deps.limits })
  return writeCaptureJob(deps, { behaviour, ...capturer }, async (parts) => {
    // Each slice is indexed (every event checked) and written as a part; its objects are let go as it goes.
    await prepared.eachSlice(PART_SIZE, parts, { release: true })
    return { shell: documentShell(document as EpcisEvent), eventCount: prepared.eventCount, errors: prepared.errors }
  })
}

export const MAX_ATTEMPTS = 6

/**
 * Stores a job's events: all of them, the job's outcome and its master data in one transaction, so
 * a crash leaves either everything or nothing (and the queue runs the job again). The events are read,
 * indexed and inserted a part at a time, so a large job is never in memory whole.
 */
export async function runCaptureJob(
  deps: Pick<CaptureDeps, 'db' | 'captureLimit'> & { signal?: AbortSignal },
  captureId: string,
): Promise<void> {
  const { signal } = deps
  signal?.throwIfAborted()
  await markJobRunning(deps.db, captureId)
  try {
    await storeCaptureJob(deps, captureId)
  } catch (error) {
    if (!(error instanceof JobRefused)) throw error
    // Under rollback an event that cannot be stored fails the whole job: nothing of it was stored.
    await finishJob(deps.db, captureId, { status: 'failed', storedCount: 0, errors: error.errors })
  }
}

/** A job that must end without storing anything (under rollback), with these errors. */
class JobRefused extends Error {
  constructor(readonly errors: ProblemItem[]) {
    super('capture job refused')
  }
}

async function storeCaptureJob(deps: Pick<CaptureDeps, 'db' | 'captureLimit'> & { signal?: AbortSignal }, captureId: string): Promise<void> {
  const { signal } = deps
  await deps.db.transaction().execute((trx) => cancelStatementOnAbort(deps.db, trx, signal, async () => {
    const job = await lockUnfinishedJob(trx, captureId)
    if (!job || job.document === null) return
    const shell = parseJsonExactly(job.document) as Record<string, unknown>
    const listed = job.errors as ProblemItem[]
    let context: ResolvedContext
    try {
      context = await resolveContext(shell['@context'], [])
    } catch (error) {
      const items = (error as { errors?: ProblemItem[] }).errors ?? [{ message: (error as Error).message }]
      await finishJob(trx, captureId, { status: 'failed', storedCount: 0, errors: items })
      return
    }
    const contextId = await upsertContext(trx, context)
    const pointer = eventListOf(shell)?.pointer ?? ''
    const outcome = job.staged
      ? await storeStagedEvents(trx, job, contextId, shell)
      : await storeJobParts(trx, job, shell, contextId, signal)
    const conflictItems = outcome.conflicts.map(({ conflict, position }) => ({
      pointer: `${pointer}/${position}`,
      message: conflictMessage(conflict),
      eventIndex: position,
    }))
    if (conflictItems.length > 0 && job.error_behaviour === 'rollback') throw new JobRefused(mergeErrors(listed, conflictItems))
    const found = [...outcome.found, ...conflictItems]
    await recordProvenance(trx, job, shell, outcome.leaves.map((leaf) => leaf.pk))
    signal?.throwIfAborted()
    // Once, after every event: rows of other tables locked between the events' inserts could close a wait cycle.
    await recordPrefixes(trx, outcome.prefixes, 'captured')
    await appendToLedger(trx, outcome.leaves, { captureJobId: job.id })
    // Checked before the job was accepted; a concurrent writer may have claimed an element since.
    const masterData = masterDataOf(shell)
    const refused = await elementsOwnedByOthers(trx, masterData, job.organisation_id, { claim: true })
    const refusedAt = new Set(refused.map((r) => r.index))
    await insertMasterData(trx, masterData.filter((_, i) => !refusedAt.has(i)), job.id, job.organisation_id)
    found.push(...ownedElsewhereItems(refused, '; it was not stored'))
    // After the master data, so that the locations a document describes count as known.
    await assignPublicationStates(trx, outcome.leaves, { organisationId: job.organisation_id })
    await finishJob(trx, captureId, {
      status: 'succeeded',
      storedCount: outcome.leaves.length,
      duplicateCount: outcome.skipped - outcome.conflicts.length,
      errors: mergeErrors(listed, found),
    })
  }))
}

type LockedJob = NonNullable<Awaited<ReturnType<typeof lockUnfinishedJob>>>

/** What storing a job's events came to, before its ledger entry and master data. */
interface StoredEvents {
  leaves: LedgerLeafInput[]
  /** Events not stored: already stored with their identity, or in conflict with what is (`conflicts`). */
  skipped: number
  conflicts: Array<{ conflict: IdentityConflict; position: number }>
  /** Problems found while storing besides conflicts (a job from before staging indexes its events again). */
  found: ProblemItem[]
  prefixes: string[]
}

/** A job accepted with its events staged: moved into the event tables with one statement (staging/move-staged.ts). */
async function storeStagedEvents(trx: Transaction<Database>, job: LockedJob, contextId: number, shell: Record<string, unknown>): Promise<StoredEvents> {
  const elsewhere = await recordedElsewhere(trx, job, shell)
  const moved = await moveStagedEvents(trx, {
    id: job.id,
    contextId,
    organisationId: job.organisation_id,
    declaresForAll: job.declares_for_all,
    ...(elsewhere ? { recordedElsewhere: elsewhere } : {}),
  })
  const conflicts = await findIdentityConflicts(trx, moved.skipped, moved.skipped.map((_, i) => i), job.organisation_id)
  return {
    leaves: moved.stored,
    skipped: moved.skipped.length,
    conflicts: conflicts.map((conflict) => ({ conflict, position: moved.skipped[conflict.index]!.position })),
    found: [],
    prefixes: job.company_prefixes,
  }
}

/**
 * A job accepted before events were staged (migration 0030): its events are in its parts, or in its document,
 * and are indexed again here, a part at a time.
 */
async function storeJobParts(
  trx: Transaction<Database>,
  job: LockedJob,
  shell: Record<string, unknown>,
  contextId: number,
  signal: AbortSignal | undefined,
): Promise<StoredEvents> {
  const listed = job.errors as ProblemItem[]
  const found: ProblemItem[] = []
  const pointer = eventListOf(shell)?.pointer ?? ''
  const outcome: StoredEvents = { leaves: [], skipped: 0, conflicts: [], found, prefixes: [] }
  const prefixes = new Set<string>()
  // Keys in document order: the events are inserted in insertion order (insertion-order.ts), not as listed.
  const keys = await reserveEventKeys(trx, job.event_count)
  const parts = jobParts(trx, job.id, shell, listed)
  const prepareNext = async (): Promise<ReadyEvent[] | undefined> => {
    const next = await parts.next()
    if (next.done) return undefined
    const part = next.value
    const context = await resolveContext(shell['@context'], collectExtensionNames(part.map(([, body]) => body), new Set()))
    const setting = { context, pointer, behaviour: job.error_behaviour, errors: found }
    const ready: ReadyEvent[] = []
    const turn = turnTaker()
    for (let start = 0; start < part.length; start += PREPARE_RUN) {
      // Let the statements of the part being inserted go out between runs: indexing overlaps the database's work.
      await setImmediate()
      for (const [position, body] of part.slice(start, start + PREPARE_RUN)) {
        const prepared = prepareListedEvent(body, position, setting)
        if (prepared) ready.push(readyToStore(prepared, keys[position]))
        await turn()
      }
    }
    return ready
  }
  let upcoming = prepareNext()
  for (let events = await upcoming; events !== undefined; events = await upcoming) {
    signal?.throwIfAborted()
    upcoming = prepareNext()
    // Awaited by the next turn; if this part's insert fails first, the transaction ends and so does the job.
    upcoming.catch(() => undefined)
    const result = await insertEvents(trx, events, {
      captureJobId: job.id,
      contextId,
      organisationId: job.organisation_id,
      declaresForAll: job.declares_for_all,
    })
    for (const { event, pk } of result.stored) outcome.leaves.push({ pk, leafHash: (event as ReadyEvent).leafHash })
    const conflicts = await findIdentityConflicts(trx, events, result.skipped, job.organisation_id)
    for (const conflict of conflicts) outcome.conflicts.push({ conflict, position: events[conflict.index]!.position })
    if (conflicts.length > 0 && job.error_behaviour === 'rollback') break
    outcome.skipped += result.skipped.length
    for (const event of events) for (const prefix of event.indexed.companyPrefixes) prefixes.add(prefix)
  }
  outcome.prefixes = [...prefixes]
  return outcome
}

/**
 * When `signal` aborts, cancels the statement the transaction is running (a large insert, a lock wait),
 * so that the transaction rolls back at once instead of when the statement ends.
 */
async function cancelStatementOnAbort<T>(
  db: Db,
  trx: Transaction<Database>,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!signal) return work()
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx)
  const pid = rows[0]!.pid
  let cancelling: Promise<unknown> | undefined
  const cancel = () => {
    cancelling = sql`SELECT pg_cancel_backend(${pid})`.execute(db).catch(() => undefined)
  }
  signal.addEventListener('abort', cancel, { once: true })
  try {
    return await work()
  } finally {
    // The connection goes back to the pool next: no cancel may reach it once it serves another caller.
    signal.removeEventListener('abort', cancel)
    await cancelling
  }
}

/** Events indexed in one run between two turns of the event loop while a job is stored. */
const PREPARE_RUN = 250

type ReadyEvent = EventToStore & { leafHash: Buffer; position: number }

/** An event with everything its rows and its ledger leaf need, computed before it is inserted. */
function readyToStore(prepared: PreparedEvent, pk: number | undefined): ReadyEvent {
  const event = { eventId: eventIdFor(prepared), body: prepared.body, indexed: prepared.indexed, ...(pk === undefined ? {} : { pk }) }
  return { ...event, leafHash: eventLeafHash(event), position: prepared.position }
}

/**
 * A job's events as [position, event] pairs, a part at a time, in insertion order (see insertion-order.ts): the
 * events of every part are read through one sorted cursor. A job queued before its events were kept in parts
 * still has them in its document: those come first, less the ones listed as invalid.
 */
async function* jobParts(
  trx: Parameters<typeof readJobEvents>[0],
  jobId: number,
  shell: Record<string, unknown>,
  listed: ProblemItem[],
): AsyncGenerator<[number, EpcisEvent][]> {
  const inDocument = (eventListOf(shell)?.events ?? []) as EpcisEvent[]
  if (inDocument.length > 0) {
    const invalid = new Set(listed.flatMap((e) => (e.eventIndex === undefined ? [] : [e.eventIndex])))
    const pairs = inDocument.map((body, position): [number, EpcisEvent] => [position, body])
    for (let start = 0; start < pairs.length; start += PART_SIZE) {
      yield pairs.slice(start, start + PART_SIZE).filter(([position]) => !invalid.has(position))
    }
  }
  await openJobEvents(trx, jobId)
  // Parts of at most PART_SIZE events and about PART_CHARS characters, read a few events at a time and parsed one
  // event at a time, the event loop turning between them: events of 10,000 EPCs are 600 kB each.
  const turn = turnTaker()
  let part: [number, EpcisEvent][] = []
  let chars = 0
  for (;;) {
    const entries = await readJobEvents(trx, FETCH_EVENTS)
    for (const entry of entries) {
      part.push(parseJsonExactly(entry) as [number, EpcisEvent])
      chars += entry.length
      if (part.length >= PART_SIZE || chars >= PART_CHARS) {
        yield part
        part = []
        chars = 0
      }
      await turn()
    }
    if (entries.length < FETCH_EVENTS) break
  }
  if (part.length > 0) yield part
}

/** Events one read of a job's cursor takes. */
const FETCH_EVENTS = 100

/** JSON text a job from before staging parses and indexes between two turns at most (unless one event is longer). */
const PART_CHARS = 4 * 1024 * 1024

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
export async function captureSingleEvent(
  db: Db,
  body: unknown,
  capturer: Capturer = OPERATOR,
  limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
): Promise<{ eventId: string }> {
  return storeSingleEvent(db, await prepareSingleEvent(body, limits), capturer)
}

/** POST /events with an XML EPCISDocument holding exactly one event (XSD-checked and converted). */
export async function captureSingleXmlEvent(
  db: Db,
  document: Record<string, unknown>,
  capturer: Capturer = OPERATOR,
  limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
): Promise<{ eventId: string }> {
  const prepared = await prepareCapture(document, { behaviour: 'rollback', captureLimit: Number.MAX_SAFE_INTEGER, skipSchema: true, limits })
  if (prepared.eventCount !== 1) {
    throw ERRORS.validation('POST /events takes an EPCISDocument holding exactly one event; send larger documents to /capture')
  }
  const events: PreparedEvent[] = []
  await prepared.eachSlice(1, async (slice) => void events.push(...slice))
  return storeSingleEvent(db, { context: prepared.context, event: events[0]! }, capturer)
}

async function storeSingleEvent(
  db: Db,
  { context, event }: { context: ResolvedContext; event: PreparedEvent },
  capturer: Capturer,
): Promise<{ eventId: string }> {
  const staged = stagedEventOf(event, 0)
  const row = stagedEventRow(staged)
  const known = knownRows(db)
  const prefixes = event.indexed.companyPrefixes.filter((prefix) => !known.prefixes.has(prefix))
  const { stored, contextId } = await db.transaction().execute(async (trx) => {
    const contextId = known.contexts.get(context.digest) ?? (await upsertContext(trx, context))
    const stored = await insertStagedRow(trx, row, {
      contextId,
      organisationId: capturer.organisationId,
      declaresForAll: capturer.declaresForAll ?? capturer.organisationId === null,
      // Checked in the same statement (one index probe, no round trip): an event this organisation recorded and a
      // province forwarded here already is not stored again.
      recordedElsewhere: { origins: {} },
    })
    if (!stored) {
      const toStore = [{ eventId: staged.eventId, body: event.body, indexed: event.indexed }]
      const [conflict] = await findIdentityConflicts(trx, toStore, [0], capturer.organisationId)
      if (conflict) throw ERRORS.identityConflict(conflictMessage(conflict))
      return { stored, contextId }
    }
    await recordProvenance(trx, singleDelivery(capturer), undefined, [stored.pk])
    // Prefixes before the ledger's lock, as a capture job records them: the same order of locks everywhere.
    if (prefixes.length > 0) await recordPrefixes(trx, prefixes, 'captured')
    await appendToLedger(trx, [stored], { captureJobId: null })
    await assignPublicationStates(trx, [stored], { organisationId: capturer.organisationId })
    return { stored, contextId }
  })
  remember(known, { context: [context.digest, contextId], prefixes })
  if (!stored) {
    throw ERRORS.alreadyExists(`The event is already stored (event hash ${event.indexed.eventHash}); nothing was changed`)
  }
  return { eventId: staged.eventId }
}

/** `owner`: only that organisation's job (undefined for callers that see every job). */
export async function getCaptureJob(db: Db, captureId: string, owner?: JobOwner) {
  const job = await findCaptureJob(db, captureId, owner)
  if (!job) throw ERRORS.noSuchResource(`No capture job ${captureId}`)
  return job
}
