/**
 * The delivery engine's destination for push peers: a batch of events goes to the peer's POST /capture
 * as EPCISDocuments within the peer's limits (GS1-EPCIS-Capture-Limit and -File-Size-Limit from its
 * OPTIONS /capture), each followed through its 202 capture job to the end. The batch counts as delivered
 * (the engine moves the cursor) only when every job succeeded and stored every event or found it already
 * stored; anything else is a failed delivery whose reason, the peer's problem, is kept in the peer's state.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/database.js'
import type { PeerRow } from '../db/tables/peer.js'
import type { SubscriptionRow } from '../db/tables/subscription.js'
import type { Destination } from '../subscriptions/engine.js'
import type { DeliverableRow } from '../subscriptions/repository.js'
import type { DeliveryOutcome, SenderSettings } from '../subscriptions/webhook-sender.js'
import { decryptCredentials } from './credentials.js'
import type { KeySource } from './key.js'
import { PeerAuthorisation } from './peer-auth.js'
import { answerText, peerRequest, peerUrl, type PeerAnswer } from './peer-http.js'
import { masterDataOfEvents, pushDocument, readPushEvents, vocabularyList, type PushEvent } from './push-document.js'
import { moveDecisionCursor, findPeerBySubscription, recordPeerFailure, recordPeerSuccess } from './repository.js'
import { publishedByDecisionSince } from '../publication/repository.js'
import { visibilityFilters } from '../query/service.js'
import { audienceScope, namedQueryOwnFilters } from '../subscriptions/event-source.js'
import { matchingEvents } from '../subscriptions/repository.js'

export interface PushSettings {
  sender: SenderSettings
  /** What this repository calls itself as an origin (PUBLIC_BASE_URL, see provenance-repository.ts ownRepository). */
  repositoryId: string
  /** How long one delivery may take, following the peer's jobs included (under the subscription lease). */
  deliveryDeadlineMs: number
}

/** A delivery that did not go through: `status` is the peer's, when it answered. */
export class DeliveryFailed extends Error {
  constructor(message: string, readonly status?: number, readonly outOfTime = false) {
    super(message)
  }
}

interface PeerLimits {
  events: number
  bytes: number
  readAt: number
}

/** How long a peer's capture limits are trusted before OPTIONS /capture is asked again. */
const LIMITS_TTL_MS = 5 * 60_000
const MAX_JOB_ANSWER = 4 * 1024 * 1024
/** Events per document sent (within the peer's GS1-EPCIS-Capture-Limit), when the batch is larger. */
const DOCUMENT_EVENTS = 1000
/** Documents of one batch sent to a peer before the first of their jobs must have ended. */
const DOCUMENTS_AT_ONCE = 4
/** Master-data versions remembered per peer (beyond, the memory starts again). */
const MAX_REMEMBERED_ELEMENTS = 100_000
/** Events published by decisions read at a time for a peer (those matching its query are sent together). */
const DECIDED_BATCH = 500
/** The longest wait between two looks at a peer's capture job. */
const JOB_POLL_MAX_MS = 100

export class PeerPushSender implements Destination {
  private readonly limits = new Map<string, PeerLimits>()
  /**
   * By peer, the master-data versions (element → version key) it took: each goes once, not with every document
   * (each capture at the receiver stores a version). Forgotten on restart: an element is then sent once more.
   */
  private readonly sentMasterData = new Map<string, Map<string, number>>()

  constructor(
    private readonly db: Db,
    private readonly keySource: KeySource,
    private readonly auth: PeerAuthorisation,
    private readonly settings: PushSettings,
    private readonly log: FastifyBaseLogger,
  ) {}

  async deliver(row: SubscriptionRow, rows: DeliverableRow[]): Promise<DeliveryOutcome> {
    const peer = await findPeerBySubscription(this.db, row.id)
    if (!peer) return { ok: false, error: 'the subscription belongs to no peer' }
    try {
      await this.send(peer, rows)
      await recordPeerSuccess(this.db, peer.id, { sent: rows.length })
      return { ok: true, status: 200 }
    } catch (error) {
      const failed = error instanceof DeliveryFailed ? error : new DeliveryFailed((error as Error).message)
      // The message is the peer's answer or ours; it never holds the credentials.
      this.log.info({ peer: peer.id, events: rows.length, status: failed.status, reason: failed.message }, 'push to a peer failed; it is retried')
      await recordPeerFailure(this.db, peer.id, failed.message)
      // A batch the peer cannot take within the delivery's time is halved (and stays so), as for a 413.
      return { ok: false, ...(failed.status !== undefined ? { status: failed.status } : {}), error: failed.message, smaller: failed.outOfTime }
    }
  }

  /**
   * Issue 18: the subscription's cursor (commit order) passed events that were held then; those a decision
   * published since the peer's decision cursor go now, those matching the peer's query, before its new events.
   * The cursor moves only once they were taken, so they are retried like any delivery.
   */
  async beforeTurn(row: SubscriptionRow): Promise<DeliveryOutcome> {
    const peer = await findPeerBySubscription(this.db, row.id)
    if (!peer || peer.send_everything) return { ok: true, status: 200 }
    let cursor = Number(peer.decision_cursor)
    const started = Date.now()
    try {
      for (;;) {
        const decided = await publishedByDecisionSince(this.db, cursor, DECIDED_BATCH)
        if (decided.length === 0) break
        const filters = [
          ...visibilityFilters(await audienceScope(this.db, { organisationId: row.organisation_id, seesEverything: row.sees_everything })),
          ...(await namedQueryOwnFilters(this.db, row.query_name)),
        ]
        const rows = await matchingEvents(this.db, decided.map((d) => d.eventPk), row.initial_record_time, filters)
        if (rows.length > 0) {
          await this.send(peer, rows)
          await recordPeerSuccess(this.db, peer.id, { sent: rows.length })
        }
        const to = decided.at(-1)!.changeSeq
        if (!(await moveDecisionCursor(this.db, peer.id, cursor, to))) break
        cursor = to
        // The rest (a backlog) waits for the next turn, which the federation poll starts: the turn's own events go now.
        if (decided.length < DECIDED_BATCH || Date.now() - started > this.settings.deliveryDeadlineMs / 4) break
      }
      return { ok: true, status: 200 }
    } catch (error) {
      const failed = error instanceof DeliveryFailed ? error : new DeliveryFailed((error as Error).message)
      this.log.info({ peer: peer.id, status: failed.status, reason: failed.message }, 'push of events a decision published failed; it is retried')
      await recordPeerFailure(this.db, peer.id, failed.message)
      return { ok: false, ...(failed.status !== undefined ? { status: failed.status } : {}), error: failed.message }
    }
  }

  private async send(peer: PeerRow, rows: DeliverableRow[]): Promise<void> {
    const deadline = Date.now() + this.settings.deliveryDeadlineMs
    const key = await this.keySource(false)
    if (!key) throw new DeliveryFailed('no federation key on this instance (FEDERATION_KEY or DATA_DIR/federation.key)')
    const credentials = decryptCredentials(key, peer.credentials_key_id, peer.id, peer.credentials)
    const authorization = await this.auth.header(peer.id, credentials)
    const limits = await this.peerLimits(peer, authorization)
    const ids = rows.map((r) => Number(r.id))
    // The batch goes as documents within the peer's limits, a few at once (the peer's capture workers take them in
    // parallel); the batch counts only when every one of their jobs succeeded. Each document's events are read just
    // before it is written: the first goes out without waiting for the whole batch, and memory holds a few documents.
    const perDocument = Math.min(limits.events, Math.max(1, Math.min(DOCUMENT_EVENTS, Math.ceil(ids.length / DOCUMENTS_AT_ONCE))))
    const inFlight: Array<Promise<void>> = []
    const taken = this.sentMasterData.get(peer.id) ?? new Map<string, number>()
    const sending = new Map<string, number>()
    for (let start = 0; start < ids.length; ) {
      const events = await readPushEvents(this.db, ids.slice(start, start + perDocument), this.settings.repositoryId)
      let count = events.length
      let document = await this.document(events, taken, sending)
      while (document.body.length > limits.bytes && count > 1) {
        count = Math.ceil(count / 2)
        document = await this.document(events.slice(0, count), taken, sending)
      }
      const body = document.body
      for (const [key, version] of document.elements) sending.set(key, version)
      if (inFlight.length >= DOCUMENTS_AT_ONCE) await inFlight.shift()
      const captured = this.capture(peer, authorization, body, count, deadline)
      captured.catch(() => undefined)
      inFlight.push(captured)
      start += count
    }
    await Promise.all(inFlight)
    if (taken.size + sending.size > MAX_REMEMBERED_ELEMENTS) taken.clear()
    for (const [key, version] of sending) taken.set(key, version)
    this.sentMasterData.set(peer.id, taken)
  }

  /** A document of these events with the master data they name that the peer has not taken yet in this version. */
  private async document(events: PushEvent[], taken: Map<string, number>, sending: Map<string, number>) {
    const elements = (await masterDataOfEvents(this.db, events.map((e) => e.id))).filter((element) => {
      const key = `${element.type}\n${element.id}`
      return taken.get(key) !== element.version && sending.get(key) !== element.version
    })
    return {
      body: pushDocument(events, vocabularyList(elements)),
      elements: elements.map((element) => [`${element.type}\n${element.id}`, element.version] as const),
    }
  }

  private async peerLimits(peer: PeerRow, authorization: string): Promise<PeerLimits> {
    const known = this.limits.get(peer.id)
    if (known && Date.now() - known.readAt < LIMITS_TTL_MS) return known
    const answer = await peerRequest(this.settings.sender, {
      method: 'OPTIONS',
      url: peerUrl(peer.base_url, '/capture'),
      headers: { authorization },
      maxAnswerBytes: 64 * 1024,
    })
    const number = (name: string) => {
      const value = Number(answer.headers[name])
      return Number.isInteger(value) && value > 0 ? value : Infinity
    }
    const limits = { events: number('gs1-epcis-capture-limit'), bytes: number('gs1-epcis-capture-file-size-limit'), readAt: Date.now() }
    this.limits.set(peer.id, limits)
    return limits
  }

  private async capture(peer: PeerRow, authorization: string, body: Buffer, count: number, deadline: number): Promise<void> {
    const answer = await peerRequest(this.settings.sender, {
      method: 'POST',
      url: peerUrl(peer.base_url, '/capture'),
      headers: { authorization, 'content-type': 'application/ld+json', 'gs1-capture-error-behaviour': 'rollback', 'gs1-epcis-version': '2.0.0' },
      body,
      maxAnswerBytes: 64 * 1024,
    })
    if (answer.status === 401 || answer.status === 403) this.auth.forget(peer.id)
    if (answer.status === 413) this.limits.delete(peer.id)
    if (answer.status === 200 || answer.status === 201 || answer.status === 204) return
    if (answer.status !== 202) throw refusal('POST /capture', answer)
    const location = answer.headers.location
    if (typeof location !== 'string') throw new DeliveryFailed('the peer answered 202 without the capture job in Location', 202)
    await this.followJob(new URL(location, peerUrl(peer.base_url, '/capture')).toString(), authorization, count, deadline)
  }

  /** Waits for the peer's capture job to end; it must have succeeded and stored or found every event sent. */
  private async followJob(url: string, authorization: string, count: number, deadline: number): Promise<void> {
    let wait = 25
    for (;;) {
      const answer = await peerRequest(this.settings.sender, { method: 'GET', url, headers: { authorization, accept: 'application/json' }, maxAnswerBytes: MAX_JOB_ANSWER })
      if (answer.status !== 200) throw refusal(`GET ${new URL(url).pathname}`, answer)
      let job: Record<string, unknown>
      try {
        job = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>
      } catch {
        throw new DeliveryFailed(`the peer's capture job ${url} answered no JSON`, answer.status)
      }
      if (job.running === false || job.finishedAt !== undefined) return checkJob(url, job, count)
      if (Date.now() + wait > deadline) throw new DeliveryFailed(`the peer's capture job ${url} was still running at the end of the delivery; it is sent again, in smaller batches`, undefined, true)
      await new Promise((resolve) => setTimeout(resolve, wait))
      wait = Math.min(wait * 2, JOB_POLL_MAX_MS)
    }
  }
}

function refusal(what: string, answer: PeerAnswer): DeliveryFailed {
  return new DeliveryFailed(`the peer answered ${answer.status} to ${what}: ${answerText(answer)}`, answer.status)
}

function checkJob(url: string, job: Record<string, unknown>, count: number): void {
  const errors = Array.isArray(job.errors) ? job.errors : []
  const details = errors
    .slice(0, 5)
    .map((e) => (typeof e === 'object' && e !== null ? String((e as Record<string, unknown>).detail ?? (e as Record<string, unknown>).title ?? '') : String(e)))
    .filter((d) => d.length > 0)
  const succeeded = job.success === true && (job.status === undefined || job.status === 'succeeded') && errors.length === 0
  if (!succeeded) {
    throw new DeliveryFailed(`the peer's capture job ${url} failed${details.length ? `: ${details.join('; ')}` : ''}`.slice(0, 2000))
  }
  // A peer that counts: every event sent is stored or was stored before (a repeat); fewer is a failure.
  if (typeof job.storedCount === 'number' && typeof job.duplicateCount === 'number' && job.storedCount + job.duplicateCount < count) {
    throw new DeliveryFailed(`the peer's capture job ${url} stored ${job.storedCount} and found ${job.duplicateCount} already stored of ${count} events sent`)
  }
}
