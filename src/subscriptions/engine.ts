/**
 * The delivery engine: the one place that pushes stored events out (webhook subscriptions, WebSocket
 * clients, and later forwarding). Every instance runs one; PostgreSQL is the only coordination:
 *
 * - order and cursor: events in (commit_xid, id) order below the watermark of transactions in flight
 *   (see repository.readBatch), so no event is skipped whatever order transactions commit in;
 * - promptness: a LISTEN on `nguon_events` wakes it when a transaction that stored events commits, a
 *   slow poll is the safety net, and a timer wakes it for the next scheduled or backed-off subscription;
 * - one instance at a time per subscription: a lease on the subscription row (owner, expiry), taken
 *   with SKIP LOCKED; a killed instance's lease expires and another instance takes over;
 * - at least once: the cursor moves only on a 2xx, by compare-and-set under the lease;
 * - a slow receiver holds no database connection: the batch is read, the connection returned, then posted.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/database.js'
import type { SubscriptionRow } from '../db/tables/subscription.js'
import type { EpcFormat } from '../epcis/epc-format.js'
import { deliveryDocument } from './document.js'
import { audienceScope, namedQueryOwnFilters } from './event-source.js'
import { visibilityFilters } from '../query/service.js'
import type { Filter } from '../query/filters.js'
import {
  claimDueSubscriptions,
  nextDueTime,
  readBatch,
  recordDelivered,
  recordFailure,
  recordNotified,
  releaseSubscription,
  setBatchSize,
  watermarkState,
  currentWatermark,
  type Cursor,
  type DeliverableRow,
} from './repository.js'
import { nextScheduledTime, parseSchedule } from './schedule.js'
import { signatureHeader } from './signer.js'
import { postDelivery, type DeliveryOutcome, type SenderSettings } from './webhook-sender.js'

export interface EngineSettings {
  instanceId: string
  batchSize: number
  retryMinMs: number
  retryMaxMs: number
  failingAfterMs: number
  leaseMs: number
  pollMs: number
  concurrency: number
  sender: SenderSettings
}

/** A consumer attached to this instance only (a WebSocket): woken on every signal, reads on its own. */
export interface LocalConsumer {
  wake(): void
}

/**
 * A destination other than a webhook, for subscriptions whose destination_kind names it (src/federation's
 * peers): it writes and sends a batch its own way; the engine keeps the cursor, lease, back-off and order.
 */
export interface Destination {
  deliver(row: SubscriptionRow, rows: DeliverableRow[]): Promise<DeliveryOutcome>
}

/** How soon to look again when committed events wait behind a transaction still in flight. */
const WATERMARK_RECHECK_MS = 50
/**
 * Signals and finished deliveries that come within this time share one pass (claim, watermark, due
 * time): a capture's statements and a hundred subscriptions finishing one after the other would
 * otherwise each cost a pass of three statements.
 */
const PASS_COALESCE_MS = 10

/** Subscriptions whose named query's filters are kept (the oldest are forgotten first). */
const MAX_CACHED_QUERIES = 10_000

export class DeliveryEngine {
  /**
   * The named query's own filters, by subscription: a named query never changes, and deleting it deletes
   * its subscriptions, so they hold for the subscription's lifetime. The audience's visibility is read again
   * for every delivery.
   */
  private readonly queryFilters = new Map<string, Filter[]>()
  private readonly inflight = new Map<string, Promise<void>>()
  /** Streams at rest looked at since the last signal, by id, with the signal they were looked at under. */
  private readonly checked = new Map<string, number>()
  private readonly local = new Set<LocalConsumer>()
  private readonly destinations = new Map<string, Destination>()
  private generation = 0
  private passRunning = false
  private passAgain = false
  private stopped = false
  private pollTimer: NodeJS.Timeout | undefined
  private dueTimer: NodeJS.Timeout | undefined
  private recheckTimer: NodeJS.Timeout | undefined
  private passTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly db: Db,
    private readonly settings: EngineSettings,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.pollTimer = setInterval(() => this.signal(), this.settings.pollMs)
    this.pollTimer.unref()
    this.signal()
  }

  /** Something may have changed (events committed, a subscription created, the poll): look at every subscription again. */
  signal(): void {
    this.generation++
    for (const consumer of this.local) consumer.wake()
    this.schedulePass()
  }

  private schedulePass(): void {
    if (this.passTimer || this.stopped) return
    this.passTimer = setTimeout(() => {
      this.passTimer = undefined
      void this.pass()
    }, PASS_COALESCE_MS)
  }

  registerDestination(kind: string, destination: Destination): void {
    this.destinations.set(kind, destination)
  }

  attach(consumer: LocalConsumer): () => void {
    this.local.add(consumer)
    return () => this.local.delete(consumer)
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const timer of [this.pollTimer, this.dueTimer, this.recheckTimer, this.passTimer]) clearTimeout(timer)
    clearInterval(this.pollTimer)
    await Promise.allSettled([...this.inflight.values()])
  }

  private async pass(): Promise<void> {
    if (this.stopped) return
    if (this.passRunning) {
      this.passAgain = true
      return
    }
    this.passRunning = true
    try {
      do {
        this.passAgain = false
        const generation = this.generation
        for (const [id, seen] of this.checked) if (seen < generation) this.checked.delete(id)
        const checked = [...this.checked].filter(([, g]) => g === generation).map(([id]) => id)
        const free = this.settings.concurrency - this.inflight.size
        const claimed = await claimDueSubscriptions(this.db, this.settings.instanceId, this.settings.leaseMs, free, [...this.inflight.keys()], checked)
        for (const row of claimed) this.run(row, generation)
        const state = await watermarkState(this.db)
        if (state.waiting) this.waitForWatermark(state.watermark)
        await this.armDueTimer()
      } while (this.passAgain && !this.stopped)
    } catch (err) {
      this.log.warn({ err }, 'subscription delivery pass failed; the poll will try again')
    } finally {
      this.passRunning = false
    }
  }

  private run(row: SubscriptionRow, generation: number): void {
    const task = this.deliver(row)
      .catch((err) => this.log.warn({ err, subscriptionID: row.id }, 'subscription delivery failed'))
      .finally(() => {
        this.inflight.delete(row.id)
        this.checked.set(row.id, generation)
        // Let the next subscriptions waiting for a free slot (or a signal that came meanwhile) go.
        this.schedulePass()
      })
    this.inflight.set(row.id, task)
  }

  /**
   * Committed events wait behind a transaction still in flight that may store none (so may send no
   * notification): watch the watermark (one cheap statement) and signal once it has moved.
   */
  private waitForWatermark(blockedAt: string): void {
    if (this.recheckTimer || this.stopped) return
    this.recheckTimer = setTimeout(() => {
      currentWatermark(this.db).then(
        (now) => {
          this.recheckTimer = undefined
          if (BigInt(now) > BigInt(blockedAt)) this.signal()
          else this.waitForWatermark(blockedAt)
        },
        () => {
          this.recheckTimer = undefined
        },
      )
    }, WATERMARK_RECHECK_MS)
  }

  private async armDueTimer(): Promise<void> {
    const due = await nextDueTime(this.db)
    clearTimeout(this.dueTimer)
    if (!due || this.stopped) return
    const wait = Math.max(0, Math.min(due.getTime() - Date.now(), this.settings.pollMs)) + 5
    this.dueTimer = setTimeout(() => void this.pass(), wait)
    this.dueTimer.unref()
  }

  /** The back-off before the next try: doubling from the minimum, with jitter; the longest once failing. */
  backoffMs(row: SubscriptionRow): number {
    const { retryMinMs, retryMaxMs, failingAfterMs } = this.settings
    const failingFor = row.failing_since ? Date.now() - row.failing_since.getTime() : 0
    if (row.failing_since && failingFor >= failingAfterMs) return retryMaxMs
    const base = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(row.failure_count, 40))
    return Math.min(retryMaxMs, Math.round(base * (1 + Math.random() * 0.25)))
  }

  private async ownFilters(row: SubscriptionRow): Promise<Filter[]> {
    const known = this.queryFilters.get(row.id)
    if (known) return known
    const filters = await namedQueryOwnFilters(this.db, row.query_name)
    if (this.queryFilters.size >= MAX_CACHED_QUERIES) this.queryFilters.delete(this.queryFilters.keys().next().value!)
    this.queryFilters.set(row.id, filters)
    return filters
  }

  private async deliver(row: SubscriptionRow): Promise<void> {
    const { db, settings } = this
    const owner = settings.instanceId
    const scheduled = !row.stream
    let filters
    try {
      filters = [
        ...visibilityFilters(await audienceScope(db, { organisationId: row.organisation_id, seesEverything: row.sees_everything })),
        ...(await this.ownFilters(row)),
      ]
    } catch (err) {
      await recordFailure(db, row.id, owner, `the named query cannot be run: ${(err as Error).message}`, this.backoffMs(row))
      return
    }
    let cursor: Cursor = { xid: row.after_xid, pk: Number(row.after_pk) }
    let batch = row.batch_size ?? settings.batchSize
    let delivered = 0
    for (;;) {
      if (this.stopped) break
      const rows = await readBatch(db, { filters, after: cursor, minRecordTime: row.initial_record_time, limit: batch })
      if (rows.length === 0 && !(scheduled && delivered === 0 && row.report_if_empty)) break
      const outcome = row.destination_kind !== null ? await this.deliverElsewhere(row, rows) : await this.postWebhook(row, rows)
      if (!outcome.ok) {
        if (outcome.status === 413 && batch > 1 && rows.length > 1) {
          batch = Math.max(1, Math.floor(Math.min(batch, rows.length) / 2))
          await setBatchSize(db, row.id, owner, batch, settings.leaseMs)
          continue
        }
        await recordFailure(db, row.id, owner, outcome.error, this.backoffMs(row))
        return
      }
      if (rows.length === 0) {
        await recordNotified(db, row.id, owner)
        break
      }
      const last = rows.at(-1)!
      const to: Cursor = { xid: last.xid, pk: Number(last.id) }
      const lastOfTurn = !scheduled && (rows.length < batch || this.stopped)
      if (!(await recordDelivered(db, row.id, owner, cursor, to, last.record_time, settings.leaseMs, lastOfTurn))) {
        this.log.info({ subscriptionID: row.id }, 'lost the subscription lease during a delivery; its holder delivers again')
        return
      }
      if (lastOfTurn) return
      cursor = to
      delivered += rows.length
    }
    const next = scheduled ? (nextScheduledTime(parseSchedule(row.schedule), new Date()) ?? null) : null
    await releaseSubscription(db, row.id, owner, next)
  }

  private async postWebhook(row: SubscriptionRow, rows: DeliverableRow[]): Promise<DeliveryOutcome> {
    const body = await deliveryDocument(this.db, rows, { queryName: row.query_name, subscriptionId: row.id, epcFormat: row.epc_format as EpcFormat })
    const headers: Record<string, string> = { 'GS1-EPC-Format': row.epc_format }
    if (row.signature_token) headers['GS1-Signature'] = signatureHeader(row.signature_token, body)
    return postDelivery(this.settings.sender, row.dest, body, headers)
  }

  private deliverElsewhere(row: SubscriptionRow, rows: DeliverableRow[]): Promise<DeliveryOutcome> {
    const destination = this.destinations.get(row.destination_kind!)
    if (!destination) return Promise.resolve({ ok: false, error: `no sender for destination kind '${row.destination_kind}' on this instance` })
    return destination.deliver(row, rows)
  }
}
