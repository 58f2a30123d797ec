import pg from 'pg'
import {
  BULK_INSERT,
  SINGLE_INSERT,
  baselineRowCount,
  checkpoint,
  createBaselineTable,
  insertInBatches,
  insertOneByOne,
} from '../baseline.js'
import { captureConcurrently, postEventsSequentially, type CaptureRun, type Rejection } from '../capture-client.js'
import { postgresCpuReader } from '../cpu.js'
import { captureDocument, eventStream, nextObjectEvent, standaloneEvent, type EventStream } from '../data/object-events.js'
import { MIX_KINDS, MixedEvents } from '../data/mixed-events.js'
import { measureFloor } from '../floor.js'
import { startServiceProcess, type ServiceProcess } from '../service-process.js'
import { perSecond, ratio, summarize } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'

export const SETTINGS = {
  seed: 20240301,
  documents: 20,
  eventsPerDocument: 1000,
  clients: 4,
  workers: 2,
  /** Per kind of the realistic mix. */
  mixDocuments: 8,
  mixEventsPerDocument: 500,
  /** How long jobs may still run after the last POST before the run gives up on them. */
  jobWaitMs: 180_000,
  singleEvents: 500,
  singleWarmUp: 20,
  baselineBatchSize: 1000,
}

export function take(stream: EventStream, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => nextObjectEvent(stream))
}

async function eventCount(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM event')
  return result.rows[0]!.count
}

function reportRejections(ctx: BenchContext, phase: string, rejected: Rejection[]): void {
  if (rejected.length === 0) return
  ctx.problem(`${phase}: ${rejected.length} request(s) failed; first: ${rejected[0]!.what} answered ${rejected[0]!.status}: ${rejected[0]!.body}`)
}

/** Every job finished, succeeded and stored all its events; says what was seen otherwise. */
function checkJobs(ctx: BenchContext, phase: string, run: CaptureRun, expectedJobs: number): void {
  reportRejections(ctx, phase, run.rejected)
  if (run.unfinished.length > 0) {
    const states = run.unfinished.map((job) => `${job.status} ${job.storedCount}/${job.eventCount}`).join(', ')
    ctx.problem(
      `${phase}: ${run.unfinished.length} of ${expectedJobs} job(s) still running ${SETTINGS.jobWaitMs / 1000} s after the last POST (${states})`,
    )
  }
  const failed = run.finished.filter((job) => !job.success || job.storedCount !== job.eventCount)
  for (const job of failed.slice(0, 3)) {
    ctx.problem(
      `${phase}: job ${job.captureID} ended ${job.status}, success=${job.success}, stored ${job.storedCount}/${job.eventCount}` +
        (job.errors[0] ? `, first error: ${job.errors[0].detail ?? ''}` : ''),
    )
  }
  if (failed.length > 3) ctx.problem(`${phase}: ${failed.length - 3} more job(s) did not succeed`)
  if (run.finished.length + run.unfinished.length !== expectedJobs) {
    ctx.problem(`${phase}: ${run.finished.length + run.unfinished.length} job(s) followed, ${expectedJobs} expected`)
  }
}

function checkCount(ctx: BenchContext, what: string, found: number, expected: number): void {
  if (found !== expected) ctx.problem(`${what}: ${found.toLocaleString('en-US')} rows, ${expected.toLocaleString('en-US')} expected`)
}

export interface MeasuredCapture {
  run: CaptureRun
  events: number
  /** End to end: first POST to the last job seen finished. */
  perSecond: number
  /** CPU seconds of the service process and of PostgreSQL during the run. */
  serviceCpu: number
  postgresCpu: number
  floor: { perSecond: number; postgresCpu: number }
}

/** Captures the documents from the clients, then COPYs the same rows into the floor tables, CPU counted for each. */
export async function measureCapture(
  ctx: BenchContext,
  phase: string,
  service: ServiceProcess,
  pool: pg.Pool,
  postgresCpu: () => Promise<number>,
  bodies: string[],
  events: number,
  { floor: withFloor = true } = {},
): Promise<MeasuredCapture> {
  const before = await eventCount(pool)
  await checkpoint(pool)
  const [serviceBefore, pgBefore] = [await service.usage(), await postgresCpu()]
  const run = await captureConcurrently(service.baseUrl, bodies, SETTINGS.clients, SETTINGS.jobWaitMs)
  const [serviceAfter, pgAfter] = [await service.usage(), await postgresCpu()]
  checkJobs(ctx, phase, run, bodies.length)
  checkCount(ctx, `${phase}: new rows in event`, (await eventCount(pool)) - before, events)
  const jobs = await pool.query<{ id: number }>('SELECT id::int AS id FROM capture_job WHERE capture_id = ANY($1::text[])', [
    run.finished.map((job) => job.captureID),
  ])
  const floor = withFloor ? await measureFloorOf(ctx, phase, pool, postgresCpu, jobs.rows.map((r) => r.id), events) : { perSecond: Number.NaN, postgresCpu: Number.NaN }
  return {
    run,
    events,
    perSecond: perSecond(events, run.lastSeenFinishedAt - run.firstPostAt),
    serviceCpu: serviceAfter.cpuSeconds - serviceBefore.cpuSeconds,
    postgresCpu: pgAfter - pgBefore,
    floor,
  }
}

async function measureFloorOf(
  ctx: BenchContext,
  phase: string,
  pool: pg.Pool,
  postgresCpu: () => Promise<number>,
  jobIds: number[],
  events: number,
): Promise<MeasuredCapture['floor']> {
  ctx.log(`${phase}: the floor, the same rows COPYed into copies of the tables`)
  const before = await postgresCpu()
  const floor = await measureFloor(pool, jobIds, SETTINGS.workers)
  const cpu = (await postgresCpu()) - before
  checkCount(ctx, `${phase}: floor events`, floor.events, events)
  return { perSecond: perSecond(floor.events, floor.ms), postgresCpu: cpu }
}

export const micro = (seconds: number, events: number) => (seconds / events) * 1e6

export const capture: Scenario = {
  name: 'capture',
  description:
    'POST /capture of 1,000-event documents from concurrent clients (ObjectEvents, then a realistic mix) against the floor of the schema ' +
    '(the same rows COPYed into the same tables), CPU per event, and POST /events one by one',

  async run(ctx) {
    const { documents, eventsPerDocument, clients, workers } = SETTINGS
    const stream = eventStream(SETTINGS.seed)
    const warmUpBody = JSON.stringify(captureDocument(take(stream, eventsPerDocument)))
    const documentEvents = Array.from({ length: documents }, () => take(stream, eventsPerDocument))
    const bodies = documentEvents.map((events) => JSON.stringify(captureDocument(events)))
    const eventJson = documentEvents.flat().map((event) => JSON.stringify(event))
    const mixed = new MixedEvents(SETTINGS.seed + 2)
    const mixBodies = MIX_KINDS.map((kind) => ({
      kind,
      bodies: Array.from({ length: SETTINGS.mixDocuments }, () =>
        JSON.stringify(captureDocument(Array.from({ length: SETTINGS.mixEventsPerDocument }, () => mixed.next(kind)))),
      ),
    }))
    const singleStream = eventStream(SETTINGS.seed + 1)
    const singles = Array.from({ length: SETTINGS.singleWarmUp + SETTINGS.singleEvents }, () =>
      JSON.stringify(standaloneEvent(nextObjectEvent(singleStream))),
    )
    const totalEvents = documents * eventsPerDocument
    const averageKiB = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0) / bodies.length / 1024
    const identifiers = documentEvents.flat().reduce(
      (sum, e) => sum + (e.epcList as unknown[]).length + ((e.quantityList as unknown[] | undefined)?.length ?? 0),
      0,
    )
    ctx.note(
      `capture: ${documents} documents x ${eventsPerDocument.toLocaleString('en-US')} ObjectEvents (${averageKiB.toFixed(0)} KiB each, ` +
        `${(identifiers / totalEvents).toFixed(1)} EPCs/classes and 5 links per event), ${clients} concurrent clients, ` +
        `CAPTURE_WORKER_CONCURRENCY ${workers}, the service in its own process, after one warm-up document`,
    )

    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: workers + 1 })
    const readPostgresCpu = await postgresCpuReader(pool)
    if (!readPostgresCpu) ctx.note('capture: PostgreSQL runs elsewhere or its data directory is not readable: its CPU is not measured')
    const postgresCpu = readPostgresCpu ?? (async () => Number.NaN)
    const service = await startServiceProcess(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: workers })
    try {
      ctx.log(`capture: service listening on ${service.baseUrl}; warm-up document`)
      const warmUp = await captureConcurrently(service.baseUrl, [warmUpBody], 1, 60_000)
      checkJobs(ctx, 'warm-up capture', warmUp, 1)

      ctx.log(`capture: ${documents} documents, ${clients} clients`)
      const objects = await measureCapture(ctx, 'capture', service, pool, postgresCpu, bodies, totalEvents)
      const mixes: Array<{ kind: string; measured: MeasuredCapture }> = []
      for (const { kind, bodies: kindBodies } of mixBodies) {
        ctx.log(`capture: ${kind} mix`)
        mixes.push({ kind, measured: await measureCapture(ctx, `capture ${kind}`, service, pool, postgresCpu, kindBodies, kindBodies.length * SETTINGS.mixEventsPerDocument) })
      }

      ctx.log(`capture: bare jsonb baseline, ${totalEvents.toLocaleString('en-US')} rows in batches of ${SETTINGS.baselineBatchSize}`)
      await createBaselineTable(pool)
      await checkpoint(pool)
      const bulkMs = await insertInBatches(pool, eventJson, SETTINGS.baselineBatchSize, workers)
      checkCount(ctx, 'baseline: rows in bench_baseline', await baselineRowCount(pool), totalEvents)
      ctx.note(
        `capture floor: each job's stored rows (event, event_identifier, event_link, event_field, sensor_report, event_persistent_disposition, ` +
          `lot_member, ledger_leaf) COPYed into copies of those tables (LIKE ... INCLUDING ALL, same foreign keys), one transaction per job, ${workers} connections`,
      )
      ctx.note(`capture bare insert: "${BULK_INSERT}" with ${SETTINGS.baselineBatchSize} events per statement, ${workers} connections, no index`)

      ctx.log(`capture: POST /events x ${SETTINGS.singleEvents}, one by one`)
      const warmSingles = singles.slice(0, SETTINGS.singleWarmUp)
      const measuredSingles = singles.slice(SETTINGS.singleWarmUp)
      reportRejections(ctx, 'warm-up POST /events', (await postEventsSequentially(service.baseUrl, warmSingles)).rejected)
      await insertOneByOne(pool, warmSingles)
      const beforeSingles = await eventCount(pool)
      const baselineBeforeSingles = await baselineRowCount(pool)
      await checkpoint(pool)
      const single = await postEventsSequentially(service.baseUrl, measuredSingles)
      reportRejections(ctx, 'POST /events', single.rejected)
      checkCount(ctx, 'POST /events: new rows in event', (await eventCount(pool)) - beforeSingles, SETTINGS.singleEvents)
      await checkpoint(pool)
      const singleBaseline = await insertOneByOne(pool, measuredSingles)
      checkCount(ctx, 'baseline: new rows in bench_baseline', (await baselineRowCount(pool)) - baselineBeforeSingles, SETTINGS.singleEvents)
      ctx.note(`POST /events baseline: "${SINGLE_INSERT}", autocommit, one after the other on one connection`)

      const errors = await service.close()
      if (errors.length > 0) ctx.problem(`the service logged ${errors.length} error line(s); first: ${errors[0]!.slice(0, 400)}`)
      return [
        ...captureRows(objects, perSecond(totalEvents, bulkMs)),
        ...mixes.map(({ kind, measured }) => ({
          measurement: `  ${kind} (${SETTINGS.mixDocuments} x ${SETTINGS.mixEventsPerDocument}) end to end, against its floor`,
          value: measured.perSecond,
          unit: 'events/s',
          baseline: measured.floor.perSecond,
          ratio: ratio(measured.perSecond, measured.floor.perSecond),
        })),
        ...mixes.map(({ kind, measured }) => ({
          measurement: `  ${kind}: CPU per event, service + PostgreSQL (PostgreSQL's floor as baseline)`,
          value: micro(measured.serviceCpu + measured.postgresCpu, measured.events),
          unit: 'µs',
          baseline: micro(measured.floor.postgresCpu, measured.events),
        })),
        ...singleRows(single.totalMs, single.requestMs, singleBaseline),
      ]
    } finally {
      await service.close().catch(() => undefined)
      await pool.end()
    }
  },
}

function captureRows(measured: MeasuredCapture, bulk: number): ResultRow[] {
  const { run, events } = measured
  const { clients, eventsPerDocument } = SETTINGS
  const accepted = perSecond(run.acceptMs.length * eventsPerDocument, run.lastAcceptedAt - run.firstPostAt)
  const post = summarize(run.acceptMs)
  return [
    {
      measurement: `POST /capture end-to-end (${clients} clients; first POST to last job seen finished), against the floor`,
      value: measured.perSecond,
      unit: 'events/s',
      baseline: measured.floor.perSecond,
      ratio: ratio(measured.perSecond, measured.floor.perSecond),
    },
    { measurement: '  against a bare jsonb insert of the same JSON (no index)', value: measured.perSecond, unit: 'events/s', baseline: bulk, ratio: ratio(measured.perSecond, bulk) },
    { measurement: 'POST /capture accepted (first POST to last 202)', value: accepted, unit: 'events/s' },
    { measurement: 'CPU per event: the service process (Node.js)', value: micro(measured.serviceCpu, events), unit: 'µs' },
    {
      measurement: 'CPU per event: PostgreSQL (its floor as baseline)',
      value: micro(measured.postgresCpu, events),
      unit: 'µs',
      baseline: micro(measured.floor.postgresCpu, events),
      ratio: ratio(measured.postgresCpu, measured.floor.postgresCpu),
    },
    { measurement: 'POST /capture until 202, per 1,000-event document: median', value: post.median, unit: 'ms' },
    { measurement: 'POST /capture until 202, per 1,000-event document: max', value: post.max, unit: 'ms' },
  ]
}

function singleRows(singleMs: number, singleRequestMs: number[], singleBaseline: { totalMs: number; rowMs: number[] }): ResultRow[] {
  const { singleEvents } = SETTINGS
  const singleRate = perSecond(singleEvents, singleMs)
  const singleBaselineRate = perSecond(singleEvents, singleBaseline.totalMs)
  const singleLatency = summarize(singleRequestMs)
  const singleBaselineLatency = summarize(singleBaseline.rowMs)
  return [
    { measurement: `POST /events, ${singleEvents} one by one`, value: singleRate, unit: 'events/s', baseline: singleBaselineRate, ratio: ratio(singleRate, singleBaselineRate) },
    {
      measurement: 'POST /events until 201: median',
      value: singleLatency.median,
      unit: 'ms',
      baseline: singleBaselineLatency.median,
      ratio: ratio(singleLatency.median, singleBaselineLatency.median),
    },
    {
      measurement: 'POST /events until 201: p95',
      value: singleLatency.p95,
      unit: 'ms',
      baseline: singleBaselineLatency.p95,
      ratio: ratio(singleLatency.p95, singleBaselineLatency.p95),
    },
  ]
}
