import pg from 'pg'
import { startApp } from '../app-server.js'
import {
  BULK_INSERT,
  SINGLE_INSERT,
  baselineRowCount,
  checkpoint,
  createBaselineTable,
  insertInBatches,
  insertOneByOne,
} from '../baseline.js'
import { captureConcurrently, lastFinishedEpochMs, postEventsSequentially, type CaptureRun, type Rejection } from '../capture-client.js'
import { captureDocument, eventStream, nextObjectEvent, standaloneEvent, type EventStream } from '../data/object-events.js'
import { perSecond, ratio, summarize } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'

const SETTINGS = {
  seed: 20240301,
  documents: 20,
  eventsPerDocument: 1000,
  clients: 4,
  workers: 2,
  /** How long jobs may still run after the last POST before the run gives up on them. */
  jobWaitMs: 180_000,
  singleEvents: 500,
  singleWarmUp: 20,
  baselineBatchSize: 1000,
}

function take(stream: EventStream, count: number): Record<string, unknown>[] {
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

export const capture: Scenario = {
  name: 'capture',
  description: 'POST /capture of 1,000-event documents from concurrent clients, and POST /events one by one, against bare jsonb inserts',

  async run(ctx) {
    const { documents, eventsPerDocument, clients, workers } = SETTINGS
    const stream = eventStream(SETTINGS.seed)
    const warmUpBody = JSON.stringify(captureDocument(take(stream, eventsPerDocument)))
    const documentEvents = Array.from({ length: documents }, () => take(stream, eventsPerDocument))
    const bodies = documentEvents.map((events) => JSON.stringify(captureDocument(events)))
    const eventJson = documentEvents.flat().map((event) => JSON.stringify(event))
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
        `CAPTURE_WORKER_CONCURRENCY ${workers}, after one warm-up document`,
    )

    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: workers })
    const running = await startApp(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: workers })
    try {
      ctx.log(`capture: app listening on ${running.baseUrl}; warm-up document`)
      const warmUp = await captureConcurrently(running.baseUrl, [warmUpBody], 1, 60_000)
      checkJobs(ctx, 'warm-up capture', warmUp, 1)

      const before = await eventCount(pool)
      await checkpoint(pool)
      ctx.log(`capture: ${documents} documents, ${clients} clients`)
      const run = await captureConcurrently(running.baseUrl, bodies, clients, SETTINGS.jobWaitMs)
      checkJobs(ctx, 'capture', run, documents)
      checkCount(ctx, 'capture: new rows in event', (await eventCount(pool)) - before, totalEvents)

      ctx.log(`capture: baseline, ${totalEvents.toLocaleString('en-US')} rows in batches of ${SETTINGS.baselineBatchSize}`)
      await createBaselineTable(pool)
      await checkpoint(pool)
      const bulkMs = await insertInBatches(pool, eventJson, SETTINGS.baselineBatchSize, workers)
      checkCount(ctx, 'baseline: rows in bench_baseline', await baselineRowCount(pool), totalEvents)
      ctx.note(
        `capture baseline: pg-copy-streams is not installed, so no COPY: "${BULK_INSERT}" with ${SETTINGS.baselineBatchSize} ` +
          `events per statement, ${workers} connections (as many as capture workers), into a bare table bench_baseline (body jsonb)`,
      )

      ctx.log(`capture: POST /events x ${SETTINGS.singleEvents}, one by one`)
      const warmSingles = singles.slice(0, SETTINGS.singleWarmUp)
      const measuredSingles = singles.slice(SETTINGS.singleWarmUp)
      reportRejections(ctx, 'warm-up POST /events', (await postEventsSequentially(running.baseUrl, warmSingles)).rejected)
      await insertOneByOne(pool, warmSingles)
      const beforeSingles = await eventCount(pool)
      const baselineBeforeSingles = await baselineRowCount(pool)
      await checkpoint(pool)
      const single = await postEventsSequentially(running.baseUrl, measuredSingles)
      reportRejections(ctx, 'POST /events', single.rejected)
      checkCount(ctx, 'POST /events: new rows in event', (await eventCount(pool)) - beforeSingles, SETTINGS.singleEvents)
      await checkpoint(pool)
      const singleBaseline = await insertOneByOne(pool, measuredSingles)
      checkCount(
        ctx,
        'baseline: new rows in bench_baseline',
        (await baselineRowCount(pool)) - baselineBeforeSingles,
        SETTINGS.singleEvents,
      )
      ctx.note(`POST /events baseline: "${SINGLE_INSERT}", autocommit, one after the other on one connection`)

      if (running.errorLog.length > 0) {
        ctx.problem(`the app logged ${running.errorLog.length} error line(s); first: ${running.errorLog[0]!.slice(0, 400)}`)
      }
      return captureRows(run, bulkMs, single.totalMs, single.requestMs, singleBaseline)
    } finally {
      await running.close()
      await pool.end()
    }
  },
}

function captureRows(
  run: CaptureRun,
  bulkMs: number,
  singleMs: number,
  singleRequestMs: number[],
  singleBaseline: { totalMs: number; rowMs: number[] },
): ResultRow[] {
  const { documents, eventsPerDocument, clients, singleEvents } = SETTINGS
  const stored = run.finished.reduce((sum, job) => sum + job.storedCount, 0)
  const endToEnd = perSecond(stored, run.lastSeenFinishedAt - run.firstPostAt)
  const byJobClock = perSecond(stored, lastFinishedEpochMs(run.finished) - run.firstPostEpochMs)
  const accepted = perSecond(run.acceptMs.length * eventsPerDocument, run.lastAcceptedAt - run.firstPostAt)
  const bulk = perSecond(documents * eventsPerDocument, bulkMs)
  const post = summarize(run.acceptMs)
  const singleRate = perSecond(singleEvents, singleMs)
  const singleBaselineRate = perSecond(singleEvents, singleBaseline.totalMs)
  const singleLatency = summarize(singleRequestMs)
  const singleBaselineLatency = summarize(singleBaseline.rowMs)
  return [
    {
      measurement: `POST /capture end-to-end (${clients} clients; first POST to last job seen finished)`,
      value: endToEnd,
      unit: 'events/s',
      baseline: bulk,
      ratio: ratio(endToEnd, bulk),
    },
    { measurement: 'POST /capture end-to-end, by the jobs\' own finishedAt', value: byJobClock, unit: 'events/s' },
    { measurement: 'POST /capture accepted (first POST to last 202)', value: accepted, unit: 'events/s' },
    { measurement: 'POST /capture until 202, per 1,000-event document: median', value: post.median, unit: 'ms' },
    { measurement: 'POST /capture until 202, per 1,000-event document: mean', value: post.mean, unit: 'ms' },
    { measurement: 'POST /capture until 202, per 1,000-event document: max', value: post.max, unit: 'ms' },
    {
      measurement: `POST /events, ${singleEvents} one by one`,
      value: singleRate,
      unit: 'events/s',
      baseline: singleBaselineRate,
      ratio: ratio(singleRate, singleBaselineRate),
    },
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
