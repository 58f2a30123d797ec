import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { SubscriptionRow } from '../db/tables/subscription.js'
import type { EpcFormat } from '../epcis/epc-format.js'
import type { CbvXmlFormat } from '../epcis/xml/index.js'
import { ERRORS } from '../errors.js'
import { findNamedQuery } from '../query/named/repository.js'
import type { Principal } from '../security/principal.js'
import { checkDestination, RefusedDestination, type DestinationPolicy } from './destination-guard.js'
import { currentWatermark, deleteSubscription, findSubscription, insertSubscription } from './repository.js'
import { nextScheduledTime, parseSchedule, SCHEDULE_FIELDS, type Schedule } from './schedule.js'
import { namedQueryOwnFilters } from './event-source.js'
import { checkProvenanceQuery } from '../federation/query.js'

/** What a subscription asks for, from a POST body or a WebSocket's query parameters. */
export interface SubscriptionControls {
  stream: boolean
  schedule: Schedule | null
  reportIfEmpty: boolean
  /** undefined: now. */
  initialRecordTime: Date | undefined
}

export interface SubscriptionRequest extends SubscriptionControls {
  dest: string
  signatureToken: string | null
}

const BODY_FIELDS = ['dest', 'signatureToken', 'stream', 'schedule', 'reportIfEmpty', 'initialRecordTime']
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

/** Date.parse rolls 30 February over into March; a date-time must name a real day and time. */
function realCalendarDate(text: string): boolean {
  const [y, m, d, hh, mm, ss] = text.split(/[-T:.Z+]/i).map(Number) as number[]
  const date = new Date(Date.UTC(y!, m! - 1, d!))
  return date.getUTCMonth() === m! - 1 && date.getUTCDate() === d && hh! < 24 && mm! < 60 && ss! < 61
}

function bad(detail: string): never {
  throw ERRORS.subscriptionControls(detail)
}

/** stream / schedule / reportIfEmpty / initialRecordTime, already typed. Both or neither of stream and schedule: 400. */
export function checkControls(given: { stream?: unknown; schedule?: unknown; reportIfEmpty?: unknown; initialRecordTime?: unknown }): SubscriptionControls {
  if (given.stream !== undefined && typeof given.stream !== 'boolean') bad('stream: must be true or false')
  if (given.reportIfEmpty !== undefined && typeof given.reportIfEmpty !== 'boolean') bad('reportIfEmpty: must be true or false')
  const stream = given.stream === true
  const hasSchedule = given.schedule !== undefined && given.schedule !== null
  if (stream && hasSchedule) bad('stream: a subscription is either a stream (stream: true) or scheduled (schedule), not both')
  if (!stream && !hasSchedule) bad('schedule: give a schedule, or stream: true for every new matching event')
  if (stream && given.reportIfEmpty === true) bad('reportIfEmpty: applies only to a scheduled subscription')
  let schedule: Schedule | null = null
  if (hasSchedule) {
    parseSchedule(given.schedule)
    schedule = Object.fromEntries(
      SCHEDULE_FIELDS.filter((f) => (given.schedule as Record<string, unknown>)[f] !== undefined).map((f) => [
        f,
        String((given.schedule as Record<string, unknown>)[f]),
      ]),
    )
  }
  let initialRecordTime: Date | undefined
  if (given.initialRecordTime !== undefined) {
    const text = given.initialRecordTime
    if (typeof text !== 'string' || !RFC3339.test(text) || Number.isNaN(Date.parse(text)) || !realCalendarDate(text)) {
      bad('initialRecordTime: must be a date-time such as 2026-01-31T08:00:00Z')
    }
    initialRecordTime = new Date(text)
  }
  return { stream, schedule, reportIfEmpty: given.reportIfEmpty === true, initialRecordTime }
}

/** Checks a POST body completely; every problem is a 400 SubscriptionControlsException naming its field. */
export async function checkSubscriptionBody(body: unknown, policy: DestinationPolicy): Promise<SubscriptionRequest> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) bad('body: must be a JSON object with dest and stream or schedule')
  const given = body as Record<string, unknown>
  for (const key of Object.keys(given)) {
    if (key === 'secret') bad('secret: the shared secret is called signatureToken (GS1 EPCIS issue 389)')
    if (!BODY_FIELDS.includes(key)) bad(`${key}: is not a subscription field (${BODY_FIELDS.join(', ')})`)
  }
  if (typeof given.dest !== 'string' || given.dest.length === 0) bad('dest: the callback URL is required')
  if (given.dest.length > 2048) bad('dest: is longer than 2048 characters')
  try {
    await checkDestination(given.dest, policy)
  } catch (error) {
    if (error instanceof RefusedDestination) bad(`dest: ${error.message}`)
    throw error
  }
  let signatureToken: string | null = null
  if (given.signatureToken !== undefined) {
    if (typeof given.signatureToken !== 'string' || given.signatureToken.length === 0 || given.signatureToken.length > 1024) {
      bad('signatureToken: must be a string of 1 to 1024 characters')
    }
    signatureToken = given.signatureToken
  }
  return { dest: given.dest, signatureToken, ...checkControls(given) }
}

export interface SubscriptionView {
  subscriptionID: string
  queryName: string
  dest: string
  createdAt: string
  initialRecordTime: string
  minRecordTime: string
  lastNotifiedAt?: string
  stream?: true
  schedule?: Schedule
  reportIfEmpty?: boolean
  epcFormat: string
  cbvXmlFormat: string
  status: 'active' | 'failing'
  lastError?: string
  failingSince?: string
}

export function subscriptionView(row: SubscriptionRow, failingAfterMs: number): SubscriptionView {
  const failing = row.failing_since !== null && Date.now() - row.failing_since.getTime() >= failingAfterMs
  return {
    subscriptionID: row.id,
    queryName: row.query_name,
    dest: row.dest,
    createdAt: row.created_at.toISOString(),
    initialRecordTime: row.initial_record_time.toISOString(),
    minRecordTime: row.min_record_time.toISOString(),
    ...(row.last_notified_at ? { lastNotifiedAt: row.last_notified_at.toISOString() } : {}),
    ...(row.stream ? { stream: true as const } : { schedule: row.schedule ?? {}, reportIfEmpty: row.report_if_empty }),
    epcFormat: row.epc_format,
    cbvXmlFormat: row.cbv_xml_format,
    status: failing ? 'failing' : 'active',
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(row.failing_since ? { failingSince: row.failing_since.toISOString() } : {}),
  }
}

/** Where a new subscription starts: history since initialRecordTime when it is in the past, else from now. */
export async function startingCursor(db: Db, initialRecordTime: Date | undefined): Promise<{ xid: string; from: Date }> {
  const now = new Date()
  if (initialRecordTime !== undefined && initialRecordTime.getTime() < now.getTime()) return { xid: '0', from: initialRecordTime }
  return { xid: await currentWatermark(db), from: initialRecordTime ?? now }
}

export async function createSubscription(
  db: Db,
  queryName: string,
  request: SubscriptionRequest,
  formats: { epcFormat: EpcFormat; cbvXmlFormat: CbvXmlFormat },
  caller: Principal,
): Promise<SubscriptionRow> {
  if (!(await findNamedQuery(db, queryName))) throw ERRORS.noSuchName(`No query named '${queryName}'`)
  checkProvenanceQuery(await namedQueryOwnFilters(db, queryName), caller.seesEverything)
  const start = await startingCursor(db, request.initialRecordTime)
  const firstTime = request.schedule ? nextScheduledTime(parseSchedule(request.schedule), new Date()) : undefined
  return insertSubscription(db, {
    id: randomUUID(),
    query_name: queryName,
    organisation_id: caller.organisationId,
    sees_everything: caller.seesEverything,
    dest: request.dest,
    signature_token: request.signatureToken,
    stream: request.stream,
    schedule: request.schedule ? JSON.stringify(request.schedule) : null,
    report_if_empty: request.reportIfEmpty,
    epc_format: formats.epcFormat,
    cbv_xml_format: formats.cbvXmlFormat,
    initial_record_time: start.from.toISOString(),
    after_xid: start.xid,
    after_pk: 0,
    min_record_time: start.from.toISOString(),
    last_notified_at: null,
    next_attempt_at: firstTime ? firstTime.toISOString() : null,
    last_error: null,
    batch_size: null,
    lease_owner: null,
  })
}

/** undefined: every organisation's (an operator); otherwise only the caller's organisation's. */
export function ownerFilter(caller: Principal): string | null | undefined {
  return caller.roles.includes('admin') ? undefined : caller.organisationId
}

export async function getSubscription(db: Db, queryName: string, id: string, caller: Principal): Promise<SubscriptionRow> {
  const row = UUID.test(id) ? await findSubscription(db, queryName, id, ownerFilter(caller)) : undefined
  if (!row) throw ERRORS.noSuchResource(`No subscription ${id} of the query '${queryName}'`)
  return row
}

export async function removeSubscription(db: Db, queryName: string, id: string, caller: Principal): Promise<void> {
  await getSubscription(db, queryName, id, caller)
  if (!(await deleteSubscription(db, queryName, id))) throw ERRORS.noSuchResource(`No subscription ${id} of the query '${queryName}'`)
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
