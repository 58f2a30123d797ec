import pg from 'pg'
import { configWithDefaults } from '../../src/config.js'
import { BENCH_ADMIN_KEY, authorised } from '../app-server.js'
import { postgresCpuReader } from '../cpu.js'
import { startServiceProcess } from '../service-process.js'
import { captureConcurrently, type CaptureRun } from '../capture-client.js'
import { captureDocument, eventStream, nextObjectEvent } from '../data/object-events.js'
import { perSecond } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'

const SETTINGS = {
  seed: 20261217,
  events: Number(process.env.BENCH_FEDERATION_EVENTS ?? 100_000),
  eventsPerDocument: 1000,
  clients: 2,
  workers: 2,
  jobWaitMs: 600_000,
  forwardWaitMs: 900_000,
}

const FEDERATION_KEY = '6e67756f6e2d62656e63682d66656465726174696f6e2d6b65792d3031323334'

function documents(seed: number, count: number): string[] {
  const stream = eventStream(seed)
  const bodies: string[] = []
  for (let done = 0; done < count; done += SETTINGS.eventsPerDocument) {
    const events = Array.from({ length: Math.min(SETTINGS.eventsPerDocument, count - done) }, () => nextObjectEvent(stream))
    bodies.push(JSON.stringify(captureDocument(events)))
  }
  return bodies
}

const stored = (run: CaptureRun) => run.finished.reduce((sum, job) => sum + job.storedCount, 0)

type CpuSeconds = { sender: number; receiver: number; postgres: number }

/** CPU microseconds per event between two readings, by part. */
function cpuPerEvent(before: CpuSeconds, after: CpuSeconds, events: number): CpuSeconds {
  const micro = (key: keyof CpuSeconds) => ((after[key] - before[key]) * 1e6) / events
  return { sender: micro('sender'), receiver: micro('receiver'), postgres: micro('postgres') }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

/** eventID → the commit time (its job's finishedAt) of every event of a database stored after `after`. */
async function commitTimes(pool: pg.Pool, eventIds: string[] | undefined): Promise<Map<string, number>> {
  const result = await pool.query<{ event_id: string; finished_at: Date }>(
    `SELECT e.event_id, j.finished_at FROM event e JOIN capture_job j ON j.id = e.capture_job_id
     ${eventIds ? 'WHERE e.event_id = ANY($1::text[])' : ''}`,
    eventIds ? [eventIds] : [],
  )
  return new Map(result.rows.map((r) => [r.event_id, r.finished_at.getTime()]))
}

export const federation: Scenario = {
  name: 'federation',
  description: 'push events from one instance to another (a peer): forwarding throughput against the receiver\'s own capture, lag p50/p99',

  async run(ctx: BenchContext) {
    const { events, clients, workers } = SETTINGS
    ctx.note(
      `federation: two instances, each in a process of its own and with its own database on the same server (CAPTURE_WORKER_CONCURRENCY ${workers} each); ` +
        `${events.toLocaleString('en-US')} events pushed in all, captured in ${SETTINGS.eventsPerDocument}-event documents from ${clients} clients. ` +
        "The receiver's own capture of as many events is measured first. Half the events are captured at the sender before the peer " +
        'exists: forwarding throughput is that backlog over the time from creating the peer to the receiver committing the last of ' +
        `it (FEDERATION_PUSH_BATCH_SIZE at its default of ${configWithDefaults({}).FEDERATION_PUSH_BATCH_SIZE.toLocaleString('en-US')}, documents of 1000 events, four at once, each job followed to its end). The other half is captured while ` +
        "the peer pushes: lag is the sender's commit of an event to the receiver's commit of it (both jobs' finishedAt).",
    )
    const admin = new pg.Client({ connectionString: ctx.databaseUrl })
    await admin.connect()
    admin.on('error', (error) => ctx.log(`federation: the admin connection ended: ${error.message}`))
    const receiverDb = `${new URL(ctx.databaseUrl).pathname.slice(1)}_peer`
    await admin.query(`CREATE DATABASE ${receiverDb}`)
    const receiverUrl = new URL(ctx.databaseUrl)
    receiverUrl.pathname = `/${receiverDb}`
    // Each instance in a process of its own, as on two machines: one Node thread doing both the sender's reading and
    // rendering and the receiver's capture would measure that thread, not forwarding.
    const receiver = await startServiceProcess(receiverUrl.toString(), { CAPTURE_WORKER_CONCURRENCY: workers })
    const sender = await startServiceProcess(ctx.databaseUrl, {
      CAPTURE_WORKER_CONCURRENCY: workers,
      SUBSCRIPTION_DESTINATIONS: 'any',
      FEDERATION_KEY,
      SUBSCRIPTION_TIMEOUT_MS: 120_000,
      SUBSCRIPTION_LEASE_MS: 600_000,
    })
    const senderPool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 })
    const receiverPool = new pg.Pool({ connectionString: receiverUrl.toString(), max: 2 })
    // An idle connection the server ends is replaced by the pool at the next query.
    for (const pool of [senderPool, receiverPool]) pool.on('error', (error) => ctx.log(`federation: a bench connection ended: ${error.message}`))
    try {
      ctx.log('federation: warm-up and the receiver\'s own capture')
      await captureConcurrently(receiver.baseUrl, documents(SETTINGS.seed - 1, SETTINGS.eventsPerDocument), 1, SETTINGS.jobWaitMs)
      const readPostgresCpu = (await postgresCpuReader(senderPool)) ?? (async () => Number.NaN)
      const cpu = async () => ({ sender: (await sender.usage()).cpuSeconds, receiver: (await receiver.usage()).cpuSeconds, postgres: await readPostgresCpu() })
      const ownCpuBefore = await cpu()
      const own = await captureConcurrently(receiver.baseUrl, documents(SETTINGS.seed - 2, events), clients, SETTINGS.jobWaitMs)
      const ownCpu = cpuPerEvent(ownCpuBefore, await cpu(), stored(own))
      const ownRate = perSecond(stored(own), own.lastSeenFinishedAt - own.firstPostAt)
      // The jobs' stored counts, not count(*) over the event table: polled every 100 ms, a count of 200,000 rows took
      // about a core of PostgreSQL from the service being measured.
      const STORED = "SELECT coalesce(sum(stored_count), 0) AS n FROM capture_job WHERE status = 'succeeded'"
      const storedAtReceiver = async () => Number((await receiverPool.query<{ n: string }>(STORED)).rows[0]!.n)
      const before = await storedAtReceiver()

      const countAtReceiver = async () => (await storedAtReceiver()) - before
      const waitForReceiver = async (expected: number) => {
        const started = Date.now()
        let arrived = await countAtReceiver()
        while (arrived < expected && Date.now() - started < SETTINGS.forwardWaitMs) {
          await new Promise((r) => setTimeout(r, 100))
          arrived = await countAtReceiver()
        }
        if (arrived !== expected) ctx.problem(`federation: ${arrived} events arrived at the receiver, ${expected} sent`)
        return arrived
      }
      const backlog = Math.floor(events / 2)

      // 1. A backlog: events captured before the peer exists, pushed from initialRecordTime on (forwarding throughput).
      ctx.log(`federation: the sender captures ${backlog.toLocaleString('en-US')} events, then a push peer forwards them`)
      const first = await captureConcurrently(sender.baseUrl, documents(SETTINGS.seed, backlog), clients, SETTINGS.jobWaitMs)
      const forwardCpuBefore = await cpu()
      const peerCreatedAt = Date.now()
      const response = await fetch(`${sender.baseUrl}/admin/peers`, {
        method: 'POST',
        headers: authorised({ 'content-type': 'application/json' }),
        body: JSON.stringify({
          id: 'receiver',
          name: 'Receiver',
          baseUrl: receiver.baseUrl,
          direction: 'push',
          credentials: { bearer: BENCH_ADMIN_KEY },
          initialRecordTime: new Date(peerCreatedAt - 3_600_000).toISOString(),
        }),
      })
      if (response.status !== 201) throw new Error(`POST /admin/peers answered ${response.status}: ${await response.text()}`)
      await waitForReceiver(stored(first))
      const backlogDone = [...(await commitTimes(receiverPool, undefined)).values()].reduce((a, b) => Math.max(a, b), 0)
      const forwardRate = perSecond(stored(first), backlogDone - peerCreatedAt)
      const forwardCpu = cpuPerEvent(forwardCpuBefore, await cpu(), stored(first))

      // 2. Live: events captured while the peer is there (lag from the sender's commit to the receiver's).
      ctx.log(`federation: the sender captures ${(events - backlog).toLocaleString('en-US')} more events while the peer pushes them`)
      const live = await captureConcurrently(sender.baseUrl, documents(SETTINGS.seed + 1, events - backlog), clients, SETTINGS.jobWaitMs)
      const senderRate = perSecond(stored(live), live.lastSeenFinishedAt - live.firstPostAt)
      const arrived = await waitForReceiver(stored(first) + stored(live))
      const peer = (await (await fetch(`${sender.baseUrl}/admin/peers/receiver`, { headers: authorised() })).json()) as { state: { lastError: string | null } }
      if (peer.state.lastError) ctx.note(`federation: the peer's last error: ${peer.state.lastError}`)
      const liveIds = (await senderPool.query<{ event_id: string }>(
        'SELECT e.event_id FROM event e JOIN capture_job j ON j.id = e.capture_job_id WHERE j.capture_id = ANY($1::text[])',
        [live.finished.map((job) => job.captureID)],
      )).rows.map((r) => r.event_id)
      const atSender = await commitTimes(senderPool, liveIds)
      const atReceiver = await commitTimes(receiverPool, liveIds)
      const lags: number[] = []
      for (const [eventId, committed] of atSender) {
        const there = atReceiver.get(eventId)
        if (there !== undefined) lags.push(there - committed)
      }
      const rows: ResultRow[] = [
        { measurement: "receiver's own capture", value: ownRate, unit: 'events/s' },
        { measurement: 'forwarding a backlog (peer created to receiver last commit)', value: forwardRate, unit: 'events/s', baseline: ownRate, ratio: forwardRate / ownRate },
        { measurement: 'sender capture while pushing', value: senderRate, unit: 'events/s', baseline: ownRate, ratio: senderRate / ownRate },
        { measurement: 'lag sender commit to receiver commit (live): p50', value: percentile(lags, 0.5), unit: 'ms' },
        { measurement: 'lag sender commit to receiver commit (live): p99', value: percentile(lags, 0.99), unit: 'ms' },
        { measurement: 'events forwarded', value: arrived, unit: 'count' },
        { measurement: "receiver's own capture: CPU per event, receiver", value: ownCpu.receiver, unit: 'µs' },
        { measurement: "receiver's own capture: CPU per event, PostgreSQL", value: ownCpu.postgres, unit: 'µs' },
        { measurement: 'forwarding a backlog: CPU per event, sender', value: forwardCpu.sender, unit: 'µs' },
        { measurement: 'forwarding a backlog: CPU per event, receiver', value: forwardCpu.receiver, unit: 'µs' },
        { measurement: 'forwarding a backlog: CPU per event, PostgreSQL (both databases)', value: forwardCpu.postgres, unit: 'µs' },
      ]
      return rows
    } finally {
      for (const errors of [await sender.close(), await receiver.close()]) {
        if (errors.length > 0) ctx.problem(`an instance logged ${errors.length} error line(s); first: ${errors[0]!.slice(0, 400)}`)
      }
      await senderPool.end()
      await receiverPool.end()
      await admin.query(`DROP DATABASE IF EXISTS ${receiverDb} WITH (FORCE)`).catch(() => undefined)
      await admin.end()
    }
  },
}
