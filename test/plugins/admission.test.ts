import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import t, { type Test } from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildWithDatabase, captureAndWait } from '../helper.js'
import { bearer, createKey, post } from '../security/fixtures.js'

const gtin = '09506000134352'
const serial = `https://id.gs1.org/01/${gtin}/21/1001`

interface Lock {
  release(): Promise<void>
  /** Backends of the database waiting on a lock. */
  waiting(): Promise<number>
}

/** A session of its own holding an ACCESS EXCLUSIVE lock on named_query: every named query's run waits on it. */
async function lockNamedQueries(databaseUrl: string): Promise<Lock> {
  const locker = new pg.Client({ connectionString: databaseUrl })
  await locker.connect()
  await locker.query('BEGIN; LOCK TABLE named_query IN ACCESS EXCLUSIVE MODE')
  let released = false
  const release = async () => {
    if (released) return
    released = true
    await locker.query('ROLLBACK').catch(() => undefined)
    await locker.end()
  }
  const waiting = async () => {
    // Inside a transaction the activity view is a snapshot taken once: take a fresh one each time.
    await locker.query('SELECT pg_stat_clear_snapshot()')
    const { rows } = await locker.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )
    return rows[0]!.n
  }
  return { release, waiting }
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Runs `fn` while the lock is held; releases it even when `fn` fails (the app's connections wait on it). */
async function whileLocked(databaseUrl: string, fn: (lock: Lock) => Promise<void>): Promise<void> {
  const lock = await lockNamedQueries(databaseUrl)
  try {
    await fn(lock)
  } finally {
    await lock.release()
  }
}

/**
 * The time an inject takes, or a failure after `limitMs` (the request is left running). A request stuck behind the
 * saturated pool would wait for the lock the test holds, forever: the bound only has to be beyond a loaded machine's
 * slowest first answer (a cold consumer page).
 */
async function timed(app: FastifyInstance, url: string, limitMs = 15_000): Promise<{ status: number; ms: number }> {
  const started = Date.now()
  const answer = await Promise.race([
    app.inject({ method: 'GET', url }),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), limitMs)),
  ])
  return { status: answer?.statusCode ?? 0, ms: Date.now() - started }
}

async function withData(t: Test, overrides: Parameters<typeof buildWithDatabase>[1]) {
  const built = await buildWithDatabase(t, overrides)
  const job = await captureAndWait(built.app, epcisDocument([objectEvent({ epcList: [serial] })]))
  t.ok(job.success, 'an event names the serial')
  const created = await built.app.inject({ method: 'POST', url: '/queries', payload: { name: 'shipping', query: { EQ_bizStep: ['shipping'] } } })
  t.equal(created.statusCode, 201, 'a named query')
  return built
}

t.test('the resolver, the consumer page and readiness answer while queries fill their pool', async (t) => {
  const { app, databaseUrl } = await withData(t, { DATABASE_QUERY_POOL_SIZE: 3, QUERY_CONCURRENCY_PER_CALLER: 0 })
  let queries: Array<Promise<{ statusCode: number }>> = []
  await whileLocked(databaseUrl, async (lock) => {
    // More queries than the whole default pool has connections: each waits on the lock in PostgreSQL.
    queries = Array.from({ length: 12 }, () => app.inject({ method: 'GET', url: '/queries/shipping/events' }))
    await until(async () => (await lock.waiting()) >= 3)

    const resolver = await timed(app, `/01/${gtin}/21/1001`)
    t.equal(resolver.status, 307, `the resolver answers (${resolver.ms} ms)`)
    const linkset = await timed(app, `/01/${gtin}/21/1001?linkType=linkset`)
    t.equal(linkset.status, 200, `the linkset answers (${linkset.ms} ms)`)
    const page = await timed(app, `/traceability/page/01/${gtin}/21/1001`)
    t.equal(page.status, 200, `the consumer page answers (${page.ms} ms)`)
    const ready = await timed(app, '/health/ready')
    t.equal(ready.status, 200, `readiness answers (${ready.ms} ms)`)
    t.equal(await lock.waiting(), 3, 'the queries hold no more than the query pool')
  })
  const answers = await Promise.all(queries)
  t.same(answers.map((a) => a.statusCode), Array(12).fill(200), 'the queries run once the lock is gone')
})

t.test('one caller may run only so many queries at once: 429 with Retry-After beyond', async (t) => {
  const { app, databaseUrl } = await withData(t, { DATABASE_QUERY_POOL_SIZE: 6, QUERY_CONCURRENCY_PER_CALLER: 2 })
  await post(app, '/admin/organizations', { id: 'alpha', name: 'Alpha' })
  await post(app, '/admin/organizations', { id: 'beta', name: 'Beta' })
  const alpha = [(await createKey(app, 'alpha', ['query'])).key, (await createKey(app, 'alpha', ['query'])).key]
  const beta = (await createKey(app, 'beta', ['query'])).key
  const ask = (key: string) => app.inject({ method: 'GET', url: '/queries/shipping/events', headers: bearer(key) })
  let running: Array<Promise<{ statusCode: number }>> = []
  await whileLocked(databaseUrl, async (lock) => {
    running = [ask(alpha[0]!), ask(alpha[1]!)]
    await until(async () => (await lock.waiting()) >= 2)
    const third = await ask(alpha[0]!)
    t.equal(third.statusCode, 429, 'a third query of the same organisation, with another key too, is refused')
    t.equal(third.headers['retry-after'], '2')
    t.equal(third.json().type, 'about:blank')
    t.equal(third.json().title, 'Too Many Requests')
    t.equal((await ask(alpha[1]!)).statusCode, 429, 'whichever key it uses')
    running.push(ask(beta))
    await until(async () => (await lock.waiting()) >= 3)
    t.pass('another organisation still gets its query in')
  })
  t.same((await Promise.all(running)).map((a) => a.statusCode), [200, 200, 200])
  t.equal((await ask(alpha[0]!)).statusCode, 200, 'the slots are given back')
})
