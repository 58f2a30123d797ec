import t, { type Test } from 'tap'
import pg from 'pg'
import { LEDGER_LOCK_KEY } from '../../src/ledger/repository.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { ownPostgres } from './own-postgres.js'
import { eventually, sleep, startService, type ServiceProcess } from './service-process.js'

// A database outage must not end the process: requests get 503 with Retry-After, readiness says so,
// liveness stays up, and a capture job cut off by the outage runs again as soon as the database is back.

const captureBody = (events: number) => JSON.stringify(epcisDocument(Array.from({ length: events }, () => objectEvent())))

async function capture(service: ServiceProcess, body: string): Promise<Response> {
  return service.request('/capture', { method: 'POST', headers: { 'content-type': 'application/ld+json' }, body })
}

async function jobOf(service: ServiceProcess, location: string): Promise<{ running: boolean; status: string; storedCount: number }> {
  return (await service.request(location)).json() as never
}

function alive(service: ServiceProcess): boolean {
  return service.child.exitCode === null && service.child.signalCode === null
}

/** An answer during an outage: 503, Retry-After, an EPCIS problem. */
async function checkUnavailable(t: Test, response: Response, what: string) {
  t.equal(response.status, 503, `${what}: 503`)
  t.ok(Number(response.headers.get('retry-after')) > 0, `${what}: Retry-After`)
  t.match(response.headers.get('content-type'), /^application\/problem\+json/, `${what}: a problem`)
  const problem = (await response.json()) as { type: string; title: string }
  t.equal(problem.type, 'epcisException:ImplementationException', `${what}: EPCIS exception type`)
  t.match(problem.title, /temporarily unavailable/, `${what}: says what is wrong`)
}

t.test('PostgreSQL stopped (immediate) and started again under a running capture job', async (t) => {
  const own = await ownPostgres(t)
  const service = await startService(t, { DATABASE_URL: own.url, CAPTURE_WORKER_CONCURRENCY: '1' })

  // The job blocks on the ledger lock, held here, so that it is surely running when the server stops.
  const holder = new pg.Client({ connectionString: own.url })
  holder.on('error', () => undefined)
  await holder.connect()
  t.teardown(() => holder.end().catch(() => undefined))
  await holder.query('SELECT pg_advisory_lock($1::bigint)', [LEDGER_LOCK_KEY.toString()])
  const accepted = await capture(service, captureBody(200))
  t.equal(accepted.status, 202)
  const location = accepted.headers.get('location')!
  await eventually('the job waiting on the ledger lock', async () => {
    const { rows } = await own.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`)
    return rows.length > 0 ? true : undefined
  })

  await own.stopImmediately()
  await sleep(1000)
  t.ok(alive(service), 'the process is still running')
  await checkUnavailable(t, await service.request('/events'), 'GET /events')
  await checkUnavailable(t, await service.request(location), 'GET /capture/{id}')
  await checkUnavailable(t, await capture(service, captureBody(1)), 'POST /capture')
  t.equal((await fetch(`${service.url}/health/ready`)).status, 503, 'readiness reports the outage')
  t.equal((await fetch(`${service.url}/health/live`)).status, 200, 'liveness stays up')
  await sleep(2000)
  t.ok(alive(service), 'still running after a few seconds of outage')

  await own.start()
  const restarted = Date.now()
  const job = await eventually('the job to succeed', async () => {
    const view = await jobOf(service, location)
    return view.running ? undefined : view
  }, 60_000)
  t.equal(job.status, 'succeeded')
  t.equal(job.storedCount, 200)
  t.ok(Date.now() - restarted < 30_000, `the job ran again within ${Date.now() - restarted} ms of the restart, not after the queue's 5-minute expiry`)
  t.equal((await fetch(`${service.url}/health/ready`)).status, 200, 'ready again')
  t.equal((await service.request('/events?perPage=1')).status, 200)
  t.ok(alive(service))
})

t.test("pg_terminate_backend on the service's connections, idle in a transaction or busy", async (t) => {
  const own = await ownPostgres(t)
  const service = await startService(t, { DATABASE_URL: own.url, CAPTURE_WORKER_CONCURRENCY: '1' })
  const statuses: number[] = []
  const problems: Promise<void>[] = []
  let killedBetweenStatements = 0
  let killedOther = 0
  /** How many more connections the terminator may kill. */
  let budget = 0
  /** Kill connections busy with capture work too, every round (a job's work is now mostly one long statement). */
  let killBusy = false
  let stop = false
  t.teardown(() => {
    stop = true
  })

  // Terminates connections of the service that sit in an open transaction between two statements (a
  // request or a job checked its client out and is busy in JavaScript), and now and then all of them.
  const terminator = (async () => {
    for (let round = 0; !stop; round++) {
      if (budget > 0) {
        const { rows } = await own.query<{ idle: boolean }>(
          `SELECT pg_terminate_backend(pid), state = 'idle in transaction' AS idle FROM pg_stat_activity
            WHERE datname = 'nguon' AND pid <> pg_backend_pid() AND backend_type = 'client backend'
              AND (state = 'idle in transaction' OR $1 OR ($2 AND query ILIKE '%capture%'))`,
          [round % 50 === 49, killBusy],
        )
        for (const row of rows) row.idle ? killedBetweenStatements++ : killedOther++
        budget -= rows.length
      }
      await sleep(2)
    }
  })()
  const load = (async () => {
    while (!stop) {
      const response = await service.request('/events?perPage=5').catch(() => undefined)
      if (response) {
        statuses.push(response.status)
        if (response.status === 503) problems.push(checkUnavailable(t, response, 'GET /events'))
        else await response.arrayBuffer()
      }
    }
  })()

  // A large capture request whose transaction loses its connection while it checks the next slice.
  budget = Infinity
  const cutOff = await capture(service, captureBody(5000))
  statuses.push(cutOff.status)
  t.equal(cutOff.status, 503, 'the capture request that lost its connection answers 503')
  if (cutOff.status === 503) await checkUnavailable(t, cutOff, 'POST /capture')
  t.ok(killedBetweenStatements > 0, `${killedBetweenStatements} connections killed between two statements of a transaction (${killedOther} others)`)

  // A capture job whose connection is killed a few times while it runs.
  budget = 0
  const accepted = await capture(service, captureBody(5000))
  t.equal(accepted.status, 202)
  const location = accepted.headers.get('location')!
  const killedBeforeJob = killedBetweenStatements + killedOther
  killBusy = true
  budget = 3
  const job = await eventually('the job to finish', async () => {
    const view = await jobOf(service, location)
    return view.running ? undefined : view
  }, 60_000)
  stop = true
  await Promise.all([terminator, load])
  await Promise.all(problems)

  t.ok(killedBetweenStatements + killedOther > killedBeforeJob, 'connections were killed while the job ran')
  t.equal(job.status, 'succeeded', 'the job stored its events despite the terminated connections')
  t.equal(job.storedCount, 5000)
  t.ok(alive(service), 'the process is still running')
  t.same(statuses.filter((s) => ![200, 202, 503].includes(s)), [], 'no answer other than 200, 202 or 503 (no 500)')
  t.notMatch(service.output(), /closing after an error|second error/, 'no uncaught error')
})
