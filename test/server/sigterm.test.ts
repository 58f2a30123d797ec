import t, { type Test as Tap } from 'tap'
import pg from 'pg'
import { LEDGER_LOCK_KEY } from '../../src/ledger/repository.js'
import { createTestDatabase } from '../db.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { eventually, sleep, startService, type ServiceProcess } from './service-process.js'

// SIGTERM drains: no new work, requests in flight are answered, running capture jobs finish within the
// grace period or are handed back to the queue, where another instance takes them at once.

async function database(t: Tap) {
  const db = await createTestDatabase()
  t.teardown(() => db.drop())
  return db.url
}

/** A client of the test's own holding a lock the service is about to wait for. */
async function lockHolder(t: Tap, url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => undefined)
  await client.connect()
  t.teardown(() => client.end().catch(() => undefined))
  return client
}

async function waitingOnLock(client: pg.Client, kind: 'advisory' | 'relation'): Promise<void> {
  await eventually(`a statement waiting on a ${kind} lock`, async () => {
    // Inside a transaction pg_stat_activity answers from one snapshot unless it is cleared.
    await client.query('SELECT pg_stat_clear_snapshot()')
    const { rows } = await client.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = $1`, [kind])
    return rows.length > 0 ? true : undefined
  })
}

async function capture(service: ServiceProcess, events: number): Promise<string> {
  const body = JSON.stringify(epcisDocument(Array.from({ length: events }, () => objectEvent())))
  const response = await service.request('/capture', { method: 'POST', headers: { 'content-type': 'application/ld+json' }, body })
  if (response.status !== 202) throw new Error(`capture answered ${response.status}: ${await response.text()}`)
  return response.headers.get('location')!
}

async function jobOf(client: pg.Client, location: string): Promise<{ status: string; stored_count: number }> {
  const { rows } = await client.query('SELECT status, stored_count FROM capture_job WHERE capture_id = $1', [location.split('/').pop()])
  return rows[0]
}

t.test('TERM during an in-flight request: it is answered, new connections are refused, the process exits 0', async (t) => {
  const url = await database(t)
  const service = await startService(t, { DATABASE_URL: url, SHUTDOWN_GRACE_MS: '20000' })
  const holder = await lockHolder(t, url)
  await holder.query('BEGIN')
  await holder.query('LOCK TABLE event IN ACCESS EXCLUSIVE MODE')
  const inFlight = service.request('/events?perPage=1')
  await waitingOnLock(holder, 'relation')

  const termAt = Date.now()
  service.child.kill('SIGTERM')
  await sleep(1500)
  t.equal(service.child.exitCode, null, 'still running 1.5 s after SIGTERM while a request is in flight')
  const late = await fetch(`${service.url}/health/live`).then((r) => r.status, () => 'refused')
  t.not(late, 200, `no new work is taken (a new request got ${late})`)

  await holder.query('COMMIT')
  const answered = await inFlight
  t.equal(answered.status, 200, 'the request in flight is answered')
  const exit = await service.exited
  t.equal(exit.code, 0, 'exit code 0')
  t.ok(exit.at - termAt < 20_000, 'exits within the grace period')
  if (exit.code !== 0) console.log(service.output())
})

t.test('TERM during a capture job that finishes within the grace period: the job is stored, then the process exits', async (t) => {
  const url = await database(t)
  const service = await startService(t, { DATABASE_URL: url, SHUTDOWN_GRACE_MS: '20000', CAPTURE_WORKER_CONCURRENCY: '1' })
  const holder = await lockHolder(t, url)
  await holder.query('SELECT pg_advisory_lock($1::bigint)', [LEDGER_LOCK_KEY.toString()])
  const location = await capture(service, 300)
  await waitingOnLock(holder, 'advisory')

  service.child.kill('SIGTERM')
  await sleep(2000)
  t.equal(service.child.exitCode, null, 'still running 2 s after SIGTERM while a capture job runs')
  await holder.query('SELECT pg_advisory_unlock($1::bigint)', [LEDGER_LOCK_KEY.toString()])
  const exit = await service.exited
  t.equal(exit.code, 0, 'exit code 0')
  t.same(await jobOf(holder, location), { status: 'succeeded', stored_count: 300 }, 'the job was stored before the exit')
})

t.test('two instances on one database: the one TERMed mid-job hands the job back, the other stores it promptly', async (t) => {
  const url = await database(t)
  const first = await startService(t, { DATABASE_URL: url, SHUTDOWN_GRACE_MS: '4000', CAPTURE_WORKER_CONCURRENCY: '1' })
  const holder = await lockHolder(t, url)
  await holder.query('SELECT pg_advisory_lock($1::bigint)', [LEDGER_LOCK_KEY.toString()])
  const location = await capture(first, 300)
  await waitingOnLock(holder, 'advisory')
  const second = await startService(t, { DATABASE_URL: url, CAPTURE_WORKER_CONCURRENCY: '1' })
  t.equal((await jobOf(holder, location)).status, 'running', 'the first instance is running the job')

  const termAt = Date.now()
  first.child.kill('SIGTERM')
  const exit = await first.exited
  t.equal(exit.code, 0, 'the first instance exits 0')
  t.ok(exit.at - termAt < 4000, `it rolled back and handed the job back within its grace period (${exit.at - termAt} ms)`)
  t.match(first.output(), /handed back/, 'it says it handed the job back')
  await holder.query('SELECT pg_advisory_unlock($1::bigint)', [LEDGER_LOCK_KEY.toString()])

  const job = await eventually('the second instance to store the job', async () => {
    const row = await jobOf(holder, location)
    return row.status === 'running' || row.status === 'queued' ? undefined : row
  }, 20_000)
  t.ok(Date.now() - exit.at < 20_000, `stored ${Date.now() - exit.at} ms after the first instance exited, not after the queue's 5-minute expiry`)
  t.same(job, { status: 'succeeded', stored_count: 300 })
  const { rows } = await holder.query('SELECT count(*)::int AS n FROM event')
  t.equal(rows[0].n, 300, 'every event stored once')
})
