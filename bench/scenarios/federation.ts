import pg from 'pg'
import { BENCH_ADMIN_KEY, authorised, startApp } from '../app-server.js'
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
      `federation: two instances in this process, each with its own database on the same server (CAPTURE_WORKER_CONCURRENCY ${workers} each); ` +
        `${events.toLocaleString('en-US')} events in ${SETTINGS.eventsPerDocument}-event documents from ${clients} clients. The receiver's ` +
        'own capture of as many events is measured first; then the sender captures them while a push peer forwards them to the ' +
        "receiver's /capture (FEDERATION_PUSH_BATCH_SIZE 1000, each job followed to its end). Forwarding throughput: events at the " +
        "receiver per second from the sender's first commit to the receiver's last; lag: the sender's commit of an event to the " +
        "receiver's commit of it (both jobs' finishedAt).",
    )
    const admin = new pg.Client({ connectionString: ctx.databaseUrl })
    await admin.connect()
    const receiverDb = `${new URL(ctx.databaseUrl).pathname.slice(1)}_peer`
    await admin.query(`CREATE DATABASE ${receiverDb}`)
    const receiverUrl = new URL(ctx.databaseUrl)
    receiverUrl.pathname = `/${receiverDb}`
    const receiver = await startApp(receiverUrl.toString(), { CAPTURE_WORKER_CONCURRENCY: workers })
    const sender = await startApp(ctx.databaseUrl, {
      CAPTURE_WORKER_CONCURRENCY: workers,
      SUBSCRIPTION_DESTINATIONS: 'any',
      FEDERATION_KEY,
      SUBSCRIPTION_TIMEOUT_MS: 120_000,
      SUBSCRIPTION_LEASE_MS: 600_000,
    })
    const senderPool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 })
    const receiverPool = new pg.Pool({ connectionString: receiverUrl.toString(), max: 2 })
    try {
      ctx.log('federation: warm-up and the receiver\'s own capture')
      await captureConcurrently(receiver.baseUrl, documents(SETTINGS.seed - 1, SETTINGS.eventsPerDocument), 1, SETTINGS.jobWaitMs)
      const own = await captureConcurrently(receiver.baseUrl, documents(SETTINGS.seed - 2, events), clients, SETTINGS.jobWaitMs)
      const ownRate = perSecond(stored(own), own.lastSeenFinishedAt - own.firstPostAt)
      const before = Number((await receiverPool.query<{ n: string }>('SELECT count(*) AS n FROM event')).rows[0]!.n)

      const response = await fetch(`${sender.baseUrl}/admin/peers`, {
        method: 'POST',
        headers: authorised({ 'content-type': 'application/json' }),
        body: JSON.stringify({ id: 'receiver', name: 'Receiver', baseUrl: receiver.baseUrl, direction: 'push', credentials: { bearer: BENCH_ADMIN_KEY } }),
      })
      if (response.status !== 201) throw new Error(`POST /admin/peers answered ${response.status}: ${await response.text()}`)

      ctx.log(`federation: the sender captures ${events.toLocaleString('en-US')} events and pushes them`)
      const sent = await captureConcurrently(sender.baseUrl, documents(SETTINGS.seed, events), clients, SETTINGS.jobWaitMs)
      const senderRate = perSecond(stored(sent), sent.lastSeenFinishedAt - sent.firstPostAt)
      const started = Date.now()
      let arrived = 0
      for (;;) {
        arrived = Number((await receiverPool.query<{ n: string }>('SELECT count(*) AS n FROM event')).rows[0]!.n) - before
        if (arrived >= stored(sent) || Date.now() - started > SETTINGS.forwardWaitMs) break
        await new Promise((r) => setTimeout(r, 250))
      }
      if (arrived !== stored(sent)) ctx.problem(`federation: ${arrived} events arrived at the receiver, ${stored(sent)} sent`)
      const peer = (await (await fetch(`${sender.baseUrl}/admin/peers/receiver`, { headers: authorised() })).json()) as { state: { lastError: string | null; eventsSent: number } }
      if (peer.state.lastError) ctx.note(`federation: the peer's last error: ${peer.state.lastError}`)

      const atSender = await commitTimes(senderPool, undefined)
      const atReceiver = await commitTimes(receiverPool, [...atSender.keys()])
      const lags: number[] = []
      for (const [eventId, committed] of atSender) {
        const there = atReceiver.get(eventId)
        if (there !== undefined) lags.push(there - committed)
      }
      const firstSenderCommit = Math.min(...atSender.values())
      const lastReceiverCommit = Math.max(...atReceiver.values())
      const forwardRate = perSecond(atReceiver.size, lastReceiverCommit - firstSenderCommit)
      for (const app of [sender, receiver]) {
        if (app.errorLog.length > 0) ctx.problem(`an app logged ${app.errorLog.length} error line(s); first: ${app.errorLog[0]!.slice(0, 400)}`)
      }
      const rows: ResultRow[] = [
        { measurement: "receiver's own capture", value: ownRate, unit: 'events/s' },
        { measurement: 'sender capture while pushing', value: senderRate, unit: 'events/s', baseline: ownRate, ratio: senderRate / ownRate },
        { measurement: 'forwarding (sender first commit to receiver last commit)', value: forwardRate, unit: 'events/s', baseline: ownRate, ratio: forwardRate / ownRate },
        { measurement: 'lag sender commit to receiver commit: p50', value: percentile(lags, 0.5), unit: 'ms' },
        { measurement: 'lag sender commit to receiver commit: p99', value: percentile(lags, 0.99), unit: 'ms' },
        { measurement: 'events forwarded', value: arrived, unit: 'count' },
      ]
      return rows
    } finally {
      await sender.close()
      await receiver.close()
      await senderPool.end()
      await receiverPool.end()
      await admin.query(`DROP DATABASE IF EXISTS ${receiverDb} WITH (FORCE)`).catch(() => undefined)
      await admin.end()
    }
  },
}
