/**
 * The delivery engine: the one place that pushes stored events out (webhook subscriptions, WebSocket
 * clients, and later forwarding). Every instance runs one; PostgreSQL is the only coordination:
 *
 * - order and cursor: events in (commit_xid, id) order below the watermark of transactions in flight
 *   (see repository.readBatch), so no event is skipped whatever order transactions commit in;
 * - promptness: a LISTEN on `nguon_events` wakes it when a transaction that stored events commits, a
 *   slow poll is the safety net, and a timer wakes it for the next scheduled or backed-off subscription;
 * - one read for every stream: on each wake-up the new events are scanned once, each matched against
 *   the filters of every stream subscription at rest, and only the subscriptions that have events are
 *   taken and delivered (a hundred streams cost one statement, not a hundred);
 * - one instance at a time per subscription: a lease on the subscription row (owner, expiry), taken
 *   with SKIP LOCKED; a killed instance's lease expires and another instance takes over;
 * - at least once: the cursor moves only on a 2xx, by compare-and-set under the lease;
 * - a slow receiver holds no database connection: the batch is read, the connection returned, then posted.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/database.js'
import type { SubscriptionRow } from '../db/tables/subscription.js'
import type { EpcFormat } from '../epcis/epc-format.js'
import { CursorWriter } from './cursor-writer.js'
import { deliveryDocument } from './document.js'
import { audienceScope, namedQueryOwnFilters } from './event-source.js'
import { visibilityFilters } from '../query/service.js'
import type { Filter } from '../query/filters.js'
import {
  anySubscription,
  claimDueSubscriptions,
  claimStreams,
  nextDueTime,
  readBatch,
  restingStreams,
  scanNewEvents,
  recordFailure,
  recordNotified,
  releaseSubscription,
  setBatchSize,
  watermarkState,
  currentWatermark,
  type Cursor,
  type DeliverableRow,
  type ScanReader,
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
  /**
   * At the start of each delivery turn, under the lease: sends what is owed besides the events after the cursor
   * (a push peer: events a decision published). A failure backs the subscription off like a failed delivery.
   */
  beforeTurn?(row: SubscriptionRow): Promise<DeliveryOutcome>
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
/** Events one statement of a stream scan reads. */
const SCAN_WINDOW = 2000
/** Scan statements per pass; streams still without an answer then read on their own (readBatch). */
const MAX_SCAN_WINDOWS = 6
/** Stream subscriptions matched by one scan statement (its text grows with each). */
const READERS_PER_SCAN = 200
/**
 * Batches a stream at rest keeps found while it waits for a free delivery slot: a second batch goes out
 * next without scanning its events again (which a stream waiting behind others would otherwise cost every pass).
 */
const FOUND_BATCHES = 2

/** What a scan found for a stream subscription at rest, valid while its cursor is `after`. */
interface StreamState {
  after: Cursor
  /** Where to read from: past `after` when events after it were scanned and none matched. */
  scannedTo: Cursor
  /** Every event after `after` up to `scannedTo` that matches, not yet delivered (at most FOUND_BATCHES batches). */
  found: DeliverableRow[]
  /** More events past `scannedTo` may match (the scan stopped short of the newest event). */
  more?: boolean
  /** The scan did not reach it, or its named query cannot be run: deliver() reads (or fails) on its own. */
  readAlone?: boolean
  /** The signals seen when the pass that found them began. */
  generation: number
}

/** A stream's first batch, found by a scan; `more`: events past them may match too. */
interface FoundEvents {
  rows: DeliverableRow[]
  more: boolean
  /** How far the scan matched: with `more` false, no event between the last row and here matches. */
  scannedTo: Cursor
  /** The signals seen when the pass that found them began. */
  generation: number
}

/**
 * A webhook stream delivering a batch a scan found: it comes back to rest after that batch, so scans while it
 * delivers read on for it from where that scan ended, and what they find waits in `ahead` (scannedTo, found).
 * Without this, every stream that was delivering when events came would scan them again on its own when back.
 */
interface Flight {
  row: SubscriptionRow
  ahead: StreamState
  /** A scan read for it while it delivered. */
  scanned: boolean
  /** Back at rest (keepScanned took `ahead`): a scan that ends later keeps nothing for it. */
  landed: boolean
}

/**
 * Keeps the first `keep` events found; the state then counts as scanned only up to the last one kept (the others
 * are found again by the next scan). Answers whether any were let go.
 */
function keepFirst(state: StreamState, keep: number): boolean {
  if (state.found.length <= keep) return false
  state.found = state.found.slice(0, keep)
  const last = state.found.at(-1)!
  state.scannedTo = { xid: last.xid, pk: Number(last.id) }
  return true
}

const sameCursor = (a: Cursor, b: Cursor) => a.xid === b.xid && a.pk === b.pk
const cursorBefore = (a: Cursor, b: Cursor) => BigInt(a.xid) < BigInt(b.xid) || (a.xid === b.xid && a.pk < b.pk)
const cursorOf = (row: SubscriptionRow): Cursor => ({ xid: row.after_xid, pk: Number(row.after_pk) })

export class DeliveryEngine {
  /**
   * The named query's own filters, by subscription: a named query never changes, and deleting it deletes
   * its subscriptions, so they hold for the subscription's lifetime. The audience's visibility is read again
   * for every delivery.
   */
  private readonly queryFilters = new Map<string, Filter[]>()
  private readonly inflight = new Map<string, Promise<void>>()
  /** Streams at rest, by id: how far their new events were scanned, and what was found. */
  private readonly streams = new Map<string, StreamState>()
  private readonly flights = new Map<string, Flight>()
  private readonly local = new Set<LocalConsumer>()
  private readonly destinations = new Map<string, Destination>()
  private readonly cursors: CursorWriter
  /** Signals so far: a delivery that began before the latest one may have missed its events. */
  private generation = 0
  /** New events may wait for streams at rest: the next pass scans (otherwise it takes what the last scan found). */
  private dirty = true
  /** A subscription may have become due (a signal, a failure, a schedule, the due timer): the next pass claims due ones. */
  private dueChanged = true
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
  ) {
    this.cursors = new CursorWriter(db)
  }

  start(): void {
    this.pollTimer = setInterval(() => this.signal(), this.settings.pollMs)
    this.pollTimer.unref()
    this.signal()
  }

  /** Something may have changed (events committed, a subscription created, the poll): look at every subscription again. */
  signal(): void {
    this.generation++
    this.dirty = true
    this.dueChanged = true
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
        // A repository without subscriptions answers each commit's signal with one cheap statement, not four.
        if ((this.dirty || this.dueChanged) && this.inflight.size === 0 && !(await anySubscription(this.db))) {
          this.dirty = false
          this.dueChanged = false
          this.streams.clear()
          clearTimeout(this.dueTimer)
          continue
        }
        if (this.dirty) {
          this.dirty = false
          // The watermark before the scan: an event the scan cannot see yet then either waits above this
          // watermark (and is watched for) or committed after it was read (and its signal comes after).
          const state = await watermarkState(this.db)
          if (state.waiting) this.waitForWatermark(state.watermark)
          if (this.settings.concurrency > 0) await this.scanStreams(generation)
        }
        await this.claimFoundStreams()
        const free = this.settings.concurrency - this.inflight.size
        // After deliveries that left their stream at rest nothing new is due: such passes cost no statement more.
        if (this.dueChanged && free > 0) {
          this.dueChanged = false
          const claimed = await claimDueSubscriptions(this.db, this.settings.instanceId, this.settings.leaseMs, free, [...this.inflight.keys()])
          for (const row of claimed) this.run(row, generation)
          await this.armDueTimer()
        }
      } while (this.passAgain && !this.stopped)
    } catch (err) {
      this.dirty = true
      this.dueChanged = true
      this.log.warn({ err }, 'subscription delivery pass failed; the poll will try again')
    } finally {
      this.passRunning = false
    }
  }

  /**
   * Stream subscriptions at rest: their new events are scanned once for all of them, and what each finds
   * is kept for claimFoundStreams. A delivery running now rescans when it ends if a signal came meanwhile.
   */
  private async scanStreams(generation: number): Promise<void> {
    const busy = [...this.inflight.keys()]
    const resting = await restingStreams(this.db, busy)
    const restingIds = new Set(busy.concat(resting.map((row) => row.id)))
    // Deliveries that were running when the streams were read keep what they left (where their scan ended).
    for (const id of this.streams.keys()) if (!restingIds.has(id)) this.streams.delete(id)
    const states = new Map<string, StreamState>()
    const readers: Array<{ row: SubscriptionRow; reader: ScanReader }> = []
    const alone: SubscriptionRow[] = []
    const scopes = new Map<string, Promise<Filter[]>>()
    for (const row of resting) {
      const after = cursorOf(row)
      const known = this.streams.get(row.id)
      // What an earlier scan found stays found: this one reads on from where that one ended and adds to it.
      const state: StreamState =
        known && sameCursor(known.after, after) && !known.readAlone
          ? { ...known, generation }
          : { after, scannedTo: after, found: [], generation }
      states.set(row.id, state)
      // A full batch waits already: no need to look further for it yet.
      if (state.found.length >= (row.batch_size ?? this.settings.batchSize)) continue
      state.more = false
      try {
        readers.push({ row, reader: { after: state.scannedTo, minRecordTime: row.initial_record_time, filters: await this.scanFilters(row, scopes) } })
      } catch {
        // deliver() records why its named query cannot be run.
        alone.push(row)
      }
    }
    // `kept`: how many found events the flight had from earlier scans when this one began (its state starts with them).
    const flying = new Map<string, { flight: Flight; from: Cursor; kept: number }>()
    for (const flight of this.flights.values()) {
      const { row } = flight
      const state: StreamState = { ...flight.ahead, generation }
      if (state.found.length >= (row.batch_size ?? this.settings.batchSize)) continue
      state.more = false
      try {
        readers.push({ row, reader: { after: state.scannedTo, minRecordTime: row.initial_record_time, filters: await this.scanFilters(row, scopes) } })
        states.set(row.id, state)
        flying.set(row.id, { flight, from: state.scannedTo, kept: state.found.length })
      } catch {
        // Its delivery has read its filters already; back at rest, it is scanned for again.
      }
    }
    for (let i = 0; i < readers.length; i += READERS_PER_SCAN) {
      alone.push(...(await this.scan(readers.slice(i, i + READERS_PER_SCAN), states)))
    }
    // Those the windows did not reach read on their own (readBatch), from their cursor.
    for (const row of alone) states.get(row.id)!.readAlone = true
    for (const [id, state] of states) {
      const { flight, from, kept } = flying.get(id) ?? {}
      if (!flight || !from || kept === undefined) this.streams.set(id, state)
      else if (!flight.landed && this.flights.get(id) === flight) {
        flight.ahead = state
        flight.scanned = true
      } else {
        // It came back to rest while this scan read for it: what the scan found follows what it kept there. Only what
        // this scan added: what earlier scans had found for the flight followed it already when it landed (keepScanned).
        const resting = this.streams.get(id)
        if (resting && !resting.readAlone && !state.readAlone && sameCursor(resting.scannedTo, from)) {
          this.streams.set(id, this.readOn(resting, { ...state, found: state.found.slice(kept) }, flight.row))
        }
      }
    }
  }

  /** A stream's filters for a scan: its audience's visibility (read once per scan for each audience) and its named query's. */
  private async scanFilters(row: SubscriptionRow, scopes: Map<string, Promise<Filter[]>>): Promise<Filter[]> {
    const audience = { organisationId: row.organisation_id, seesEverything: row.sees_everything }
    const key = JSON.stringify(audience)
    if (!scopes.has(key)) scopes.set(key, audienceScope(this.db, audience).then(visibilityFilters))
    return [...(await scopes.get(key)!), ...(await this.ownFilters(row))]
  }

  /** `state` with what a scan that read on from its scannedTo found after it (at most FOUND_BATCHES batches kept). */
  private readOn(state: StreamState, scanned: StreamState, row: SubscriptionRow): StreamState {
    const next: StreamState = { after: state.after, scannedTo: scanned.scannedTo, found: state.found.concat(scanned.found), more: scanned.more === true, generation: scanned.generation }
    if (keepFirst(next, (row.batch_size ?? this.settings.batchSize) * FOUND_BATCHES)) next.more = true
    return next
  }

  /** Takes the streams at rest a scan found events for (if their cursor is still the one scanned from), as many as slots are free. */
  private async claimFoundStreams(): Promise<void> {
    const free = this.settings.concurrency - this.inflight.size
    if (free <= 0) return
    // The longest waiting first, so that every subscription gets its turn when more are ready than slots are free.
    const ready = [...this.streams]
      .filter(([id, state]) => (state.found.length > 0 || state.readAlone) && !this.inflight.has(id))
      .sort(([, a], [, b]) => (cursorBefore(a.after, b.after) ? -1 : cursorBefore(b.after, a.after) ? 1 : 0))
      .slice(0, free)
    if (ready.length === 0) return
    const claimed = await claimStreams(this.db, this.settings.instanceId, this.settings.leaseMs, ready.map(([id, state]) => ({ id, after: state.after })))
    for (const [id] of ready) {
      // Taken here, or by another instance, or its cursor moved: either way what was found is done with.
      const state = this.streams.get(id)!
      this.streams.delete(id)
      const row = claimed.find((r) => r.id === id)
      if (row) {
        const found = state.readAlone ? undefined : { rows: state.found, more: state.more === true, scannedTo: state.scannedTo, generation: state.generation }
        this.run(row, state.generation, found)
      }
    }
  }

  /**
   * Scans the new events for `readers` in windows from the earliest position, keeping in `states` what each
   * found (at most FOUND_BATCHES batches) and how far it was scanned. Answers the subscriptions the windows did not reach.
   */
  private async scan(readers: Array<{ row: SubscriptionRow; reader: ScanReader }>, states: Map<string, StreamState>): Promise<SubscriptionRow[]> {
    let pending = readers
    for (let window = 0; window < MAX_SCAN_WINDOWS && pending.length > 0; window++) {
      const from = pending.map((r) => r.reader.after).reduce((a, b) => (cursorBefore(b, a) ? b : a))
      const ahead = pending.map((r) => r.reader.after).reduce((a, b) => (cursorBefore(a, b) ? b : a))
      // Streams behind the others (back from a delivery) first catch up alone, up to where the others are:
      // the events the others have matched already are not matched again for each of them.
      const behind = pending.filter((r) => cursorBefore(r.reader.after, ahead))
      const upTo = behind.length > 0 && behind.length < pending.length ? ahead : undefined
      const scanning = upTo ? behind : pending
      const rows = await scanNewEvents(this.db, from, SCAN_WINDOW, scanning.map((r) => r.reader), upTo)
      const complete = rows.length < SCAN_WINDOW
      const end = complete && upTo ? upTo : rows.length > 0 ? { xid: rows.at(-1)!.xid, pk: Number(rows.at(-1)!.id) } : from
      const found = scanning.map(() => [] as DeliverableRow[])
      for (const scanned of rows) {
        for (const index of scanned.readers) found[index]!.push(scanned)
      }
      const next = upTo ? pending.filter((r) => !behind.includes(r)) : []
      scanning.forEach(({ row, reader }, index) => {
        const state = states.get(row.id)!
        const batch = row.batch_size ?? this.settings.batchSize
        // Every event up to the window's end was matched for it (all of them below the watermark).
        if (cursorBefore(state.scannedTo, end)) state.scannedTo = end
        state.found = state.found.concat(found[index]!)
        if (state.found.length >= batch) {
          // Enough to deliver: what is kept is still every match up to scannedTo.
          keepFirst(state, batch * FOUND_BATCHES)
          state.more = !complete || upTo !== undefined || !sameCursor(state.scannedTo, end)
          return
        }
        if (!complete || upTo) next.push({ row, reader: { ...reader, after: state.scannedTo } })
      })
      pending = next
    }
    // Windows ran out: what was found goes out and the delivery reads on; the others read on their own.
    for (const { row } of pending) if (states.get(row.id)!.found.length > 0) states.get(row.id)!.more = true
    return pending.filter(({ row }) => states.get(row.id)!.found.length === 0).map((r) => r.row)
  }

  /**
   * A stream delivered the first `delivered` of what a scan found and is at rest at `to`: the rest of what
   * was found is its next batch, and the next scan reads on from where that scan ended, not from the cursor.
   */
  private keepScanned(row: SubscriptionRow, to: Cursor, found: FoundEvents, delivered: number): void {
    const rest = found.rows.slice(delivered)
    let state: StreamState = { after: to, scannedTo: found.scannedTo, found: rest, more: found.more, generation: found.generation }
    const flight = this.flights.get(row.id)
    if (flight) {
      flight.landed = true
      // What scans found for it while it delivered follows what it was given (they read on from found.scannedTo).
      if (flight.ahead.readAlone) this.dirty = true
      else if (flight.scanned) state = this.readOn(state, flight.ahead, row)
    }
    this.streams.set(row.id, state)
    if (state.found.length === 0 && state.more) this.dirty = true
  }

  /** `generation`: the signals seen when the events it starts from were looked for. */
  private run(row: SubscriptionRow, generation: number, found?: FoundEvents): void {
    const flight: Flight | undefined =
      found && row.destination_kind === null
        ? { row, ahead: { after: cursorOf(row), scannedTo: found.scannedTo, found: [], generation }, scanned: false, landed: false }
        : undefined
    if (flight) this.flights.set(row.id, flight)
    const task = this.deliver(row, found)
      .catch((err) => {
        this.log.warn({ err, subscriptionID: row.id }, 'subscription delivery failed')
        return false
      })
      .then((atRest) => {
        this.inflight.delete(row.id)
        if (this.flights.get(row.id) === flight) this.flights.delete(row.id)
        if (!atRest) this.dueChanged = true
        // A signal came after the last scan that read for it (before it was delivering, or while): scan for it again.
        if ((flight?.ahead.generation ?? generation) !== this.generation) this.dirty = true
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
    this.dueTimer = setTimeout(() => {
      this.dueChanged = true
      void this.pass()
    }, wait)
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

  /**
   * `found`: the first batch, already read by a scan (for a stream); otherwise each batch is read here.
   * Answers whether it left a stream at rest after a success (so no subscription became due).
   */
  private async deliver(row: SubscriptionRow, found?: FoundEvents): Promise<boolean> {
    const { db, settings } = this
    const owner = settings.instanceId
    const scheduled = !row.stream
    let filters: Filter[] | undefined
    const readFilters = async (): Promise<boolean> => {
      try {
        filters = [
          ...visibilityFilters(await audienceScope(db, { organisationId: row.organisation_id, seesEverything: row.sees_everything })),
          ...(await this.ownFilters(row)),
        ]
        return true
      } catch (err) {
        await recordFailure(db, row.id, owner, `the named query cannot be run: ${(err as Error).message}`, this.backoffMs(row))
        return false
      }
    }
    if (!found && !(await readFilters())) return false
    const before = row.destination_kind !== null ? this.destinations.get(row.destination_kind)?.beforeTurn : undefined
    if (before) {
      const outcome = await before.call(this.destinations.get(row.destination_kind!), row)
      if (!outcome.ok) {
        await recordFailure(db, row.id, owner, outcome.error, this.backoffMs(row))
        return false
      }
    }
    let cursor: Cursor = { xid: row.after_xid, pk: Number(row.after_pk) }
    let batch = row.batch_size ?? settings.batchSize
    let delivered = 0
    for (;;) {
      if (this.stopped) break
      let rows: DeliverableRow[]
      let more = false
      const scanned = found
      if (found) {
        rows = found.rows.slice(0, batch)
        more = found.more || rows.length < found.rows.length
        found = undefined
      } else {
        if (!filters && !(await readFilters())) return false
        rows = await readBatch(db, { filters: filters!, after: cursor, minRecordTime: row.initial_record_time, limit: batch })
      }
      if (rows.length === 0 && !(scheduled && delivered === 0 && row.report_if_empty)) break
      const outcome = row.destination_kind !== null ? await this.deliverElsewhere(row, rows) : await this.postWebhook(row, rows)
      if (!outcome.ok) {
        if ((outcome.status === 413 || outcome.smaller) && batch > 1 && rows.length > 1) {
          batch = Math.max(1, Math.floor(Math.min(batch, rows.length) / 2))
          await setBatchSize(db, row.id, owner, batch, settings.leaseMs)
          continue
        }
        await recordFailure(db, row.id, owner, outcome.error, this.backoffMs(row))
        return false
      }
      if (rows.length === 0) {
        await recordNotified(db, row.id, owner)
        break
      }
      const last = rows.at(-1)!
      const to: Cursor = { xid: last.xid, pk: Number(last.id) }
      // A webhook stream whose batch a shared scan found goes back to rest after it, even when more may follow:
      // its next batch is what the scan found besides, or what the next scan finds with every other stream's,
      // instead of a statement of its own.
      const backToScan = scanned !== undefined && row.destination_kind === null
      const lastOfTurn = !scheduled && ((rows.length < batch && !more) || this.stopped || backToScan)
      const moved = await this.cursors.record({ id: row.id, owner, from: cursor, to, minRecordTime: last.record_time, leaseMs: settings.leaseMs, release: lastOfTurn })
      if (!moved) {
        this.log.info({ subscriptionID: row.id }, 'lost the subscription lease during a delivery; its holder delivers again')
        return false
      }
      if (backToScan) this.keepScanned(row, to, scanned, rows.length)
      if (lastOfTurn) return true
      cursor = to
      delivered += rows.length
    }
    const next = scheduled ? (nextScheduledTime(parseSchedule(row.schedule), new Date()) ?? null) : null
    await releaseSubscription(db, row.id, owner, next)
    return !scheduled
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
