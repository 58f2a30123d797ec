import pg from 'pg'
import t from 'tap'
import { buildTestApp, testConfig, waitForJob } from '../helper.js'
import { createTestDatabase } from '../db.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'

/** Events per document: three job parts, so the order must hold across parts, not only within one insert. */
const EVENTS = 2500
const ROUNDS = 4

t.test('two instances capturing the same events in opposite orders never deadlock', async (t) => {
  const database = await createTestDatabase()
  const config = { ...testConfig({ CAPTURE_WORKER_CONCURRENCY: 1, RATE_LIMIT_MAX: 0 }), DATABASE_URL: database.url }
  const instances = [await buildTestApp({ config }), await buildTestApp({ config })]
  let closed = false
  const closeInstances = async () => {
    if (closed) return
    closed = true
    await Promise.all(instances.map((app) => app.close()))
  }
  t.teardown(async () => {
    await closeInstances()
    await database.drop()
  })
  await Promise.all(instances.map((app) => app.ready()))
  const stats = new pg.Client({ connectionString: database.url })
  await stats.connect()
  t.teardown(() => stats.end())
  const deadlocks = async () =>
    Number((await stats.query('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')).rows[0].deadlocks)
  const before = await deadlocks()

  for (let round = 0; round < ROUNDS; round++) {
    // Half with an eventID, half identified by their CBV 2.0 hash; some declare errors.
    const events: Json[] = Array.from({ length: EVENTS }, (_, i) =>
      objectEvent(i % 2 === 0 ? { eventID: `urn:uuid:00000000-0000-4000-8000-${String(round * EVENTS + i).padStart(12, '0')}` } : {}),
    )
    const documents = [epcisDocument(events), epcisDocument([...events].reverse())]
    const accepted = await Promise.all(
      instances.map((app, i) =>
        app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/ld+json' }, payload: JSON.stringify(documents[i]) }),
      ),
    )
    t.same(accepted.map((r) => r.statusCode), [202, 202])
    const jobs = await Promise.all(accepted.map((r, i) => waitForJob(instances[i]!, r.headers.location as string, 120_000)))
    t.same(jobs.map((job) => job.success), [true, true], `round ${round}: both jobs succeed ${JSON.stringify(jobs.map((job) => job.errors))}`)
    const stored = jobs.reduce((sum, job) => sum + job.storedCount, 0)
    t.equal(stored, EVENTS, `round ${round}: every event stored once between the two`)
  }

  const attempts = await stats.query<{ attempts: number; n: string }>(
    'SELECT attempts, count(*) AS n FROM capture_job GROUP BY attempts ORDER BY attempts',
  )
  t.same(attempts.rows.map((r) => [r.attempts, Number(r.n)]), [[1, 2 * ROUNDS]], 'every job stored on its first attempt')
  const failures = await stats.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'capture' AND (retry_count > 0 OR state = 'failed')`)
  t.equal(Number(failures.rows[0].n), 0, 'the queue retried nothing')
  const events = await stats.query('SELECT count(*) AS n FROM event')
  t.equal(Number(events.rows[0].n), EVENTS * ROUNDS)
  // A backend flushes its statistics when it ends: close the instances' pools before reading the count.
  await closeInstances()
  t.equal(await deadlocks(), before, 'PostgreSQL detected no deadlock')
})

t.test('events inserted in key order still take their keys in document order', async (t) => {
  const database = await createTestDatabase()
  const app = await buildTestApp({ config: { ...testConfig({ RATE_LIMIT_MAX: 0 }), DATABASE_URL: database.url } })
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  await app.ready()
  // Descending eventIDs over two job parts: insertion order is the reverse of the document's.
  const ids = Array.from({ length: 1500 }, (_, i) => `urn:uuid:00000000-0000-4000-8000-${String(9999 - i).padStart(12, '0')}`)
  const accepted = await app.inject({
    method: 'POST', url: '/capture', headers: { 'content-type': 'application/ld+json' },
    payload: JSON.stringify(epcisDocument(ids.map((eventID) => objectEvent({ eventID })))),
  })
  const job = await waitForJob(app, accepted.headers.location as string, 120_000)
  t.equal(job.storedCount, 1500)
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  t.teardown(() => client.end())
  const stored = await client.query<{ event_id: string }>('SELECT event_id FROM event ORDER BY id')
  t.same(stored.rows.map((r) => r.event_id), ids, 'the storage order (the default order of answers) is the document order')
})
