/**
 * Pull peers: on each peer's schedule, one instance at a time (a lease on the peer row) pages through the
 * peer's GET /events from an overlap before its cursor (GE_recordTime, orderBy=recordTime ascending, the
 * peer's Link next-page tokens) and stores the events not yet here through the capture service, as a POST
 * /capture would (validation, hash, ledger). The cursor is the newest record time (at the peer) stored; the
 * overlap catches events that committed at the peer after a later-recorded one was read, and the capture's
 * duplicate check (and a look-up of eventIDs already here) drops what is read twice.
 */
import type { FastifyBaseLogger } from 'fastify'
import type pg from 'pg'
import type PgBoss from 'pg-boss'
import { findCaptureJob } from '../capture/job-repository.js'
import { acceptCapture } from '../capture/service.js'
import type { CaptureLimits } from '../capture/limits.js'
import type { Db } from '../db/database.js'
import type { PeerRow } from '../db/tables/peer.js'
import { isObject, type EpcisDocument } from '../epcis/document.js'
import { EPCIS_CONTEXT_URL } from '../epcis/known-contexts.js'
import { readProvenance, withProvenance } from './provenance-header.js'
import { paramsFromQueryObject } from '../query/params.js'
import type { SenderSettings } from '../subscriptions/webhook-sender.js'
import { decryptCredentials } from './credentials.js'
import type { KeySource } from './key.js'
import { PeerAuthorisation } from './peer-auth.js'
import { answerText, peerRequest, peerUrl } from './peer-http.js'
import { claimDuePulls, finishPull, nextPullTime, recordPulledPage, storedEventIds } from './repository.js'

export interface PullSettings {
  instanceId: string
  sender: SenderSettings
  overlapMs: number
  leaseMs: number
  /** Events asked for per page. */
  perPage: number
  maxPageBytes: number
  /** Peers this instance pulls at once. */
  concurrency: number
  capture: { db: Db; pool: pg.Pool; queue: PgBoss; captureLimit: number; limits: CaptureLimits; wake: () => void }
}

/** The most often the scheduler looks for due peers when none is known to be due sooner. */
const IDLE_LOOK_MS = 30_000
const JOB_WAIT_MS = 120_000

export class PullScheduler {
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private passing = false
  private again = false
  private running = new Set<Promise<void>>()

  constructor(
    private readonly db: Db,
    private readonly keySource: KeySource,
    private readonly auth: PeerAuthorisation,
    private readonly settings: PullSettings,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.wake()
  }

  /** A pull peer was created or changed, or a pull ended: look for due peers now. */
  wake(): void {
    if (this.stopped) return
    if (this.passing) {
      this.again = true
      return
    }
    this.arm(5)
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await Promise.allSettled([...this.running])
  }

  private arm(waitMs: number): void {
    clearTimeout(this.timer)
    if (this.stopped) return
    this.timer = setTimeout(() => void this.pass(), waitMs)
    this.timer.unref()
  }

  private async pass(): Promise<void> {
    if (this.stopped || this.passing) return
    this.passing = true
    let wait = IDLE_LOOK_MS
    try {
      const free = this.settings.concurrency - this.running.size
      for (const peer of await claimDuePulls(this.db, this.settings.instanceId, this.settings.leaseMs, free)) {
        const task = this.pull(peer).finally(() => {
          this.running.delete(task)
          this.wake()
        })
        this.running.add(task)
      }
      const due = await nextPullTime(this.db)
      if (due) wait = Math.max(10, Math.min(due.getTime() - Date.now() + 5, IDLE_LOOK_MS))
    } catch (err) {
      this.log.warn({ err }, 'pull pass failed; trying again')
      wait = 1000
    } finally {
      this.passing = false
      if (this.again) {
        this.again = false
        wait = 5
      }
      this.arm(wait)
    }
  }

  private async pull(peer: PeerRow): Promise<void> {
    const owner = this.settings.instanceId
    try {
      await this.pages(peer)
      await finishPull(this.db, peer.id, owner, {}, peer.pull_interval_ms)
    } catch (error) {
      const message = (error as Error).message
      this.log.info({ peer: peer.id, reason: message }, 'pull from a peer failed; it is tried again at its next time')
      await finishPull(this.db, peer.id, owner, { error: message }, peer.pull_interval_ms).catch((err) => this.log.warn({ err }, 'pull state not saved'))
    }
  }

  private async pages(peer: PeerRow): Promise<void> {
    const key = await this.keySource(false)
    if (!key) throw new Error('no federation key on this instance (FEDERATION_KEY or DATA_DIR/federation.key)')
    const credentials = decryptCredentials(key, peer.credentials_key_id, peer.id, peer.credentials)
    const from = peer.pull_cursor ? new Date(Math.max(peer.pull_cursor.getTime() - this.settings.overlapMs, peer.initial_record_time.getTime())) : peer.initial_record_time
    let url: string | undefined = firstPageUrl(peer, from, this.settings.perPage)
    while (url && !this.stopped) {
      const authorization = await this.auth.header(peer.id, credentials)
      const answer = await peerRequest(this.settings.sender, {
        method: 'GET',
        url,
        headers: { authorization, accept: 'application/ld+json, application/json', 'gs1-epcis-version': '2.0.0' },
        maxAnswerBytes: this.settings.maxPageBytes,
      })
      if (answer.status === 401 || answer.status === 403) this.auth.forget(peer.id)
      if (answer.status !== 200) throw new Error(`the peer answered ${answer.status} to GET /events: ${answerText(answer)}`)
      const page = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>
      const events = eventListOf(page)
      const stored = await this.store(peer, page, events)
      if (!(await recordPulledPage(this.db, peer.id, this.settings.instanceId, newestRecordTime(events), stored, this.settings.leaseMs))) {
        throw new Error('lost the pull lease to another instance')
      }
      url = nextLink(answer.headers.link, url)
    }
  }

  /** Stores the events not yet here as one capture job and waits for it; answers how many it stored. */
  private async store(peer: PeerRow, page: Record<string, unknown>, events: Record<string, unknown>[]): Promise<number> {
    const context = page['@context']
    const known = await storedEventIds(this.db, events.map((e) => e.eventID).filter((id): id is string => typeof id === 'string'))
    // Each event keeps the peer's recordTime: without a provenance claim, it is the event's origin record time.
    const fresh = events.filter((e) => typeof e.eventID !== 'string' || !known.has(e.eventID))
    if (fresh.length === 0) return 0
    let document: EpcisDocument = {
      '@context': context ?? [EPCIS_CONTEXT_URL],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: fresh },
    }
    // Where the peer says its events were first captured (a forwarding repository's page carries it): kept.
    const claims = readProvenance(page)
    const entries = fresh.flatMap((e) => {
      const claim = typeof e.eventID === 'string' ? claims.get(e.eventID) : undefined
      return claim ? [{ eventID: e.eventID as string, ...claim }] : []
    })
    if (entries.length > 0) document = withProvenance(document, entries)
    const { capture } = this.settings
    // Pulled events are the operator's (no organisation here); their error declarations apply to their own events
    // only; their job names the peer, which src/federation/provenance-repository.ts records for each event.
    const { captureId } = await acceptCapture(capture, document, 'rollback', {
      organisationId: null,
      declaresForAll: false,
      sourcePeer: { id: peer.id, repository: peer.base_url },
      assertsProvenance: true,
    })
    capture.wake()
    const deadline = Date.now() + JOB_WAIT_MS
    for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
      const job = await findCaptureJob(this.db, captureId)
      if (job && (job.status === 'succeeded' || job.status === 'failed')) {
        const errors = (job.errors as Array<{ message?: string }>).map((e) => e.message).filter(Boolean)
        if (job.status === 'failed' || errors.length > 0) throw new Error(`the pulled events were refused here (capture ${captureId}): ${errors.slice(0, 5).join('; ')}`)
        return job.stored_count
      }
      if (Date.now() > deadline) throw new Error(`the capture of pulled events (${captureId}) did not finish in time; pulled again next time`)
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}

function firstPageUrl(peer: PeerRow, from: Date, perPage: number): string {
  const search = new URLSearchParams()
  for (const [name, values] of Object.entries(paramsFromQueryObject(peer.query))) search.set(name, values.join('|'))
  search.set('GE_recordTime', from.toISOString())
  search.set('orderBy', 'recordTime')
  search.set('orderDirection', 'ASC')
  search.set('perPage', String(perPage))
  return `${peerUrl(peer.base_url, '/events')}?${search.toString()}`
}

function eventListOf(page: Record<string, unknown>): Record<string, unknown>[] {
  const body = isObject(page.epcisBody) ? page.epcisBody : undefined
  const results = body && isObject(body.queryResults) ? body.queryResults : undefined
  const list = results && isObject(results.resultsBody) ? results.resultsBody.eventList : body?.eventList
  return Array.isArray(list) ? list.filter(isObject) : []
}

function newestRecordTime(events: Record<string, unknown>[]): Date | undefined {
  let newest: number | undefined
  for (const event of events) {
    const time = typeof event.recordTime === 'string' ? Date.parse(event.recordTime) : NaN
    if (!Number.isNaN(time) && (newest === undefined || time > newest)) newest = time
  }
  return newest === undefined ? undefined : new Date(newest)
}

/** The Link header's rel="next" target, resolved against the page's URL. */
export function nextLink(header: string | string[] | undefined, base: string): string | undefined {
  for (const part of [header ?? []].flat().join(',').split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part)
    if (match && /\brel="?next"?/i.test(match[2]!)) return new URL(match[1]!, base).toString()
  }
  return undefined
}
