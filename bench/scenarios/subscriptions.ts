import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { authorised, startApp } from '../app-server.js'
import { captureConcurrently, type CaptureRun } from '../capture-client.js'
import { postgresCpuReader, processCpuSeconds } from '../cpu.js'
import { quietTables } from '../quiet-tables.js'
import { captureDocument, eventStream, nextObjectEvent } from '../data/object-events.js'
import { perSecond, summarize } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'
import { deliveryReplay, FLOOR_PATH } from './delivery-floor.js'
import type { ReceiverAnswer, ReceiverRequest } from './subscription-receivers.js'

const SETTINGS = {
  seed: 20261207,
  subscriptions: Number(process.env.BENCH_SUBSCRIPTIONS ?? 100),
  events: Number(process.env.BENCH_SUBSCRIPTION_EVENTS ?? 10_000),
  eventsPerDocument: 1000,
  /** Events captured (and, with the subscriptions, delivered) before each measured capture, by the code it measures. */
  warmUpEvents: 5000,
  clients: 2,
  workers: 2,
  jobWaitMs: 180_000,
  deliveryWaitMs: 300_000,
}

const STEPS = ['commissioning', 'packing', 'shipping', 'receiving', 'storing', 'inspecting', 'retail_selling']

/** The receivers, in a child process (see subscription-receivers.ts): their URL, their counts and the arrival times. */
async function startReceivers(): Promise<{
  url: string
  pid: number
  counts(): Promise<{ received: number; repeats: number; deliveries: number; bytes: number }>
  arrivals(): Promise<Map<string, number[]>>
  close(): Promise<void>
}> {
  const child = fork(fileURLToPath(new URL('./subscription-receivers.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const answer = <K extends ReceiverAnswer['kind']>(kind: K) =>
    new Promise<Extract<ReceiverAnswer, { kind: K }>>((resolve, reject) => {
      const onMessage = (message: ReceiverAnswer) => {
        if (message.kind !== kind) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(message as Extract<ReceiverAnswer, { kind: K }>)
      }
      const onExit = (code: number | null) => reject(new Error(`the receivers' process ended (${code})`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const ask = <K extends ReceiverAnswer['kind']>(kind: K & ReceiverRequest['kind']) => {
    const answered = answer(kind)
    child.send({ kind } satisfies ReceiverRequest)
    return answered
  }
  const { url } = await answer('listening')
  return {
    url,
    pid: child.pid!,
    counts: async () => {
      const { received, repeats, deliveries, bytes } = await ask('counts')
      return { received, repeats, deliveries, bytes }
    },
    arrivals: async () => new Map((await ask('arrivals')).arrivals),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill()
      }),
  }
}

/**
 * The event deliveries the receivers counted once `events` arrived (or `waitMs` passed), and a little later: repeats
 * that arrive after the expected number are counted here, not in the next measurement.
 */
async function receivedWithin(receivers: { counts(): Promise<{ received: number }> }, events: number, waitMs: number): Promise<number> {
  const started = Date.now()
  while ((await receivers.counts()).received < events && Date.now() - started < waitMs) await new Promise((r) => setTimeout(r, 50))
  await new Promise((r) => setTimeout(r, 500))
  return (await receivers.counts()).received
}

async function remove(baseUrl: string, path: string): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'DELETE', headers: authorised() })
  if (response.status !== 204) throw new Error(`DELETE ${path} answered ${response.status}: ${await response.text()}`)
}

async function post(baseUrl: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: authorised({ 'content-type': 'application/json' }), body: JSON.stringify(body) })
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`)
}

function documents(seed: number, count: number): { bodies: string[]; steps: Map<string, number> } {
  const stream = eventStream(seed)
  const bodies: string[] = []
  const steps = new Map<string, number>()
  for (let done = 0; done < count; done += SETTINGS.eventsPerDocument) {
    const events = Array.from({ length: Math.min(SETTINGS.eventsPerDocument, count - done) }, () => nextObjectEvent(stream))
    for (const e of events) steps.set(e.bizStep as string, (steps.get(e.bizStep as string) ?? 0) + 1)
    bodies.push(JSON.stringify(captureDocument(events)))
  }
  return { bodies, steps }
}

/** CPU seconds used so far by the service (this process: the service and the capture clients), PostgreSQL and the receivers. */
type CpuReading = { service: number; postgres: number; receivers: number }
async function cpuReader(pool: pg.Pool, receiversPid: number): Promise<() => Promise<CpuReading>> {
  const postgres = (await postgresCpuReader(pool)) ?? (async () => Number.NaN)
  return async () => {
    const { user, system } = process.cpuUsage()
    return { service: (user + system) / 1e6, postgres: await postgres(), receivers: await processCpuSeconds(receiversPid) }
  }
}

/** CPU microseconds per event between two readings, by part. */
function cpuRows(label: string, before: CpuReading, after: CpuReading, events: number): ResultRow[] {
  const micro = (key: keyof CpuReading) => ((after[key] - before[key]) * 1e6) / events
  return [
    { measurement: `${label}: CPU per event, service`, value: micro('service'), unit: 'µs' },
    { measurement: `${label}: CPU per event, PostgreSQL`, value: micro('postgres'), unit: 'µs' },
    { measurement: `${label}: CPU per event, receivers`, value: micro('receivers'), unit: 'µs' },
  ]
}

function stored(run: CaptureRun): number {
  return run.finished.reduce((sum, job) => sum + job.storedCount, 0)
}

export const subscriptions: Scenario = {
  name: 'subscriptions',
  description: 'stream subscriptions with different named queries, receivers on loopback: commit-to-receipt latency, deliveries/s, capture cost',

  async run(ctx: BenchContext) {
    const { subscriptions: count, events, clients, workers } = SETTINGS
    ctx.note(
      `subscriptions: ${count} stream subscriptions (named query i: EQ_bizStep = one of ${STEPS.length} steps and its own GE_eventTime), ` +
        `${events.toLocaleString('en-US')} events in ${SETTINGS.eventsPerDocument}-event documents from ${clients} clients, ` +
        `CAPTURE_WORKER_CONCURRENCY ${workers}; each measured capture follows a warm-up of ${SETTINGS.warmUpEvents.toLocaleString('en-US')} events by the same code (with the subscriptions: captured and delivered); latency from the job's finishedAt (set just before its transaction commits) to ` +
        'the receiver reading the delivery; peak memory is the RSS of the bench process (the service; the receivers run in a child process); ' +
        'the capture without subscriptions runs before and again after (the subscriptions deleted), and the ratio is against the mean of the two; ' +
        'each capture starts after VACUUM ANALYZE, with autovacuum off for the database\'s tables (bench/quiet-tables.ts)',
    )
    const receivers = await startReceivers()
    const running = await startApp(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: workers, SUBSCRIPTION_DESTINATIONS: 'any' })
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 })
    let peakRss = process.memoryUsage().rss
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100)
    try {
      ctx.log('subscriptions: warm-up and capture without subscriptions')
      await captureConcurrently(running.baseUrl, documents(SETTINGS.seed - 1, SETTINGS.warmUpEvents).bodies, clients, SETTINGS.jobWaitMs)
      const readCpu = await cpuReader(pool, receivers.pid)
      await quietTables(pool)
      const plainCpuBefore = await readCpu()
      const plain = await captureConcurrently(running.baseUrl, documents(SETTINGS.seed, events).bodies, clients, SETTINGS.jobWaitMs)
      const plainCpuAfter = await readCpu()
      const plainRate = perSecond(stored(plain), plain.lastSeenFinishedAt - plain.firstPostAt)

      ctx.log(`subscriptions: ${count} named queries and stream subscriptions`)
      for (let i = 0; i < count; i++) {
        const second = String(i % 60).padStart(2, '0')
        const minute = String(Math.floor(i / 60)).padStart(2, '0')
        await post(running.baseUrl, '/queries', { name: `bench-${i}`, query: { EQ_bizStep: [STEPS[i % STEPS.length]], GE_eventTime: `2000-01-01T00:${minute}:${second}Z` } })
        await post(running.baseUrl, `/queries/bench-${i}/subscriptions`, { dest: `${receivers.url}/hook/${i}`, stream: true })
      }
      const expectedOf = (steps: Map<string, number>) => Array.from({ length: count }, (_, i) => steps.get(STEPS[i % STEPS.length]!) ?? 0).reduce((a, b) => a + b, 0)
      // The capture without subscriptions was measured on code already run; so is the capture with them.
      ctx.log('subscriptions: warm-up with subscriptions (captured and delivered)')
      const warmUp = documents(SETTINGS.seed - 2, SETTINGS.warmUpEvents)
      await captureConcurrently(running.baseUrl, warmUp.bodies, clients, SETTINGS.jobWaitMs)
      const warmUpExpected = expectedOf(warmUp.steps)
      const warmUpReceived = await receivedWithin(receivers, warmUpExpected, SETTINGS.deliveryWaitMs)
      if (warmUpReceived !== warmUpExpected) ctx.problem(`subscriptions: warm-up: ${warmUpReceived} event deliveries received, ${warmUpExpected} expected`)
      const { bodies, steps } = documents(SETTINGS.seed + 1, events)
      const expected = expectedOf(steps)
      const { received: receivedBefore, deliveries: deliveriesBefore, bytes: bytesBefore } = await receivers.counts()
      ctx.log(`subscriptions: capture with subscriptions (${expected.toLocaleString('en-US')} event deliveries expected)`)
      await quietTables(pool)
      const withCpuBefore = await readCpu()
      const withSubs = await captureConcurrently(running.baseUrl, bodies, clients, SETTINGS.jobWaitMs)
      const withCpuCaptured = await readCpu()
      const withRate = perSecond(stored(withSubs), withSubs.lastSeenFinishedAt - withSubs.firstPostAt)
      const started = Date.now()
      let counts = await receivers.counts()
      while (counts.received - receivedBefore < expected && Date.now() - started < SETTINGS.deliveryWaitMs) {
        await new Promise((r) => setTimeout(r, 50))
        counts = await receivers.counts()
      }
      const lastArrival = Date.now()
      const withCpuAfter = await readCpu()
      const received = counts.received - receivedBefore
      if (received !== expected) ctx.problem(`subscriptions: ${received} event deliveries received, ${expected} expected`)
      // No delivery is cut off here: an event a subscription receives twice is a fault of the service.
      if (counts.repeats > 0) ctx.problem(`subscriptions: ${counts.repeats} event deliveries repeated one a subscription had received`)
      const arrivals = await receivers.arrivals()

      const commits = await pool.query<{ event_id: string; finished_at: Date }>(
        'SELECT e.event_id, j.finished_at FROM event e JOIN capture_job j ON j.id = e.capture_job_id WHERE j.capture_id = ANY($1::text[])',
        [withSubs.finished.map((job) => job.captureID)],
      )
      const latencies: number[] = []
      for (const row of commits.rows) for (const at of arrivals.get(row.event_id) ?? []) latencies.push(at - row.finished_at.getTime())
      const latency = summarize(latencies)
      const firstCommit = commits.rows.reduce((a, r) => Math.min(a, r.finished_at.getTime()), Infinity)
      const deliveries = counts.deliveries - deliveriesBefore
      if (running.errorLog.length > 0) ctx.problem(`the app logged ${running.errorLog.length} error line(s); first: ${running.errorLog[0]!.slice(0, 400)}`)
      // The floor: the same bytes, as many POSTs and events, from a bare client to the same receivers.
      ctx.log('subscriptions: the delivery floor (the delivered bytes POSTed again by a bare client)')
      const replay = deliveryReplay(`${receivers.url}${FLOOR_PATH}`, { posts: deliveries, bytes: counts.bytes - bytesBefore, events: received })
      const floorBefore = await readCpu()
      await replay.send()
      const floorAfter = await readCpu()

      // The baseline on both sides of the measurement: the tables have grown and the machine may have changed meanwhile.
      ctx.log('subscriptions: capture without subscriptions again (the named queries and their subscriptions deleted)')
      for (let i = 0; i < count; i++) await remove(running.baseUrl, `/queries/bench-${i}`)
      await quietTables(pool)
      const againCpuBefore = await readCpu()
      const again = await captureConcurrently(running.baseUrl, documents(SETTINGS.seed + 2, events).bodies, clients, SETTINGS.jobWaitMs)
      const againCpuAfter = await readCpu()
      const againRate = perSecond(stored(again), again.lastSeenFinishedAt - again.firstPostAt)
      const baselineRate = (plainRate + againRate) / 2

      const perCaptured = (seconds: number) => (seconds * 1e6) / stored(withSubs)
      const captureCpu = (before: CpuReading, after: CpuReading, run: CaptureRun) => ((after.service - before.service + after.postgres - before.postgres) * 1e6) / stored(run)
      const plainCpu = (captureCpu(plainCpuBefore, plainCpuAfter, plain) + captureCpu(againCpuBefore, againCpuAfter, again)) / 2
      const rows: ResultRow[] = [
        { measurement: 'capture without subscriptions, before', value: plainRate, unit: 'events/s' },
        { measurement: 'capture without subscriptions, after (the subscriptions deleted)', value: againRate, unit: 'events/s' },
        {
          measurement: `capture with ${count} stream subscriptions (baseline: the mean of before and after)`,
          value: withRate,
          unit: 'events/s',
          baseline: baselineRate,
          ratio: withRate / baselineRate,
        },
        { measurement: 'commit to receipt: p50', value: latency.median, unit: 'ms' },
        { measurement: 'commit to receipt: p99', value: percentile(latencies, 0.99), unit: 'ms' },
        { measurement: 'commit to receipt: max', value: latency.max, unit: 'ms' },
        { measurement: 'webhook deliveries (POSTs)', value: deliveries, unit: 'count' },
        { measurement: 'webhook deliveries per second (first commit to last receipt)', value: perSecond(deliveries, lastArrival - firstCommit), unit: 'POSTs/s' },
        { measurement: 'events delivered per second', value: perSecond(received, lastArrival - firstCommit), unit: 'events/s' },
        { measurement: 'peak RSS (service; receivers in a child process)', value: peakRss / 1024 / 1024, unit: 'MiB' },
        ...cpuRows('capture without subscriptions, before', plainCpuBefore, plainCpuAfter, stored(plain)),
        ...cpuRows('capture without subscriptions, after', againCpuBefore, againCpuAfter, stored(again)),
        ...cpuRows('capture with subscriptions, while capturing', withCpuBefore, withCpuCaptured, stored(withSubs)),
        ...cpuRows('capture with subscriptions, to the last receipt', withCpuBefore, withCpuAfter, stored(withSubs)),
        { measurement: 'delivery floor (the same bytes from a bare client): CPU per captured event, sender', value: perCaptured(floorAfter.service - floorBefore.service), unit: 'µs' },
        { measurement: 'delivery floor: CPU per captured event, receivers', value: perCaptured(floorAfter.receivers - floorBefore.receivers), unit: 'µs' },
        { measurement: "what the 20% target leaves for delivering (a quarter of capture's CPU per event without subscriptions, before and after)", value: plainCpu / 4, unit: 'µs' },
      ]
      return rows
    } finally {
      clearInterval(sampler)
      await running.close()
      await receivers.close()
      await pool.end()
    }
  },
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}
