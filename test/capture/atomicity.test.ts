import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import t from 'tap'
import { runCaptureJob } from '../../src/capture/service.js'
import { buildWithDatabase, waitForJob, buildTestApp, testConfig } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

const withTransactions = (n: number) =>
  epcisDocument(
    Array.from({ length: n }, () =>
      objectEvent({ bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:8934567000019:PO-1' }] }),
    ),
  )

async function eventCount(app: FastifyInstance): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event`.execute(app.db)
  return result.rows[0]!.n
}

t.test('a database error midway stores none of the job, and the job runs again to completion', async (t) => {
  const { app } = await buildWithDatabase(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const response = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/ld+json' },
    payload: JSON.stringify(withTransactions(5)),
  })
  t.equal(response.statusCode, 202)
  const location = response.headers.location as string
  const captureId = location.split('/').pop()!

  await sql`CREATE FUNCTION fail_link() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'simulated failure'; END $$`.execute(app.db)
  await sql`CREATE TRIGGER fail_link BEFORE INSERT ON event_link FOR EACH ROW EXECUTE FUNCTION fail_link()`.execute(app.db)

  await t.rejects(runCaptureJob({ db: app.db, captureLimit: 10_000 }, captureId), /simulated failure/)
  t.equal(await eventCount(app), 0, 'no event of the failed attempt is stored')
  const midway = (await app.inject({ method: 'GET', url: location })).json()
  t.equal(midway.running, true, 'the job is still to be done, not lost')

  await sql`DROP TRIGGER fail_link ON event_link`.execute(app.db)
  await runCaptureJob({ db: app.db, captureLimit: 10_000 }, captureId)
  t.equal(await eventCount(app), 5, 'the retry stores every event')
  const done = (await app.inject({ method: 'GET', url: location })).json()
  t.equal(done.running, false)
  t.equal(done.success, true)
  t.equal(done.storedCount, 5)

  await runCaptureJob({ db: app.db, captureLimit: 10_000 }, captureId)
  t.equal(await eventCount(app), 5, 'running a finished job again stores nothing twice')
})

t.test('a job accepted by one instance is stored by another; closing an instance loses nothing', async (t) => {
  const { app: front, databaseUrl } = await buildWithDatabase(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const response = await front.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(withTransactions(50)),
  })
  t.equal(response.statusCode, 202)
  await front.close()

  const worker = await buildTestApp({
    config: { ...testConfig({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 1 }), DATABASE_URL: databaseUrl },
  })
  t.teardown(() => worker.close())
  const job = await waitForJob(worker, response.headers.location as string)
  t.equal(job.success, true)
  t.equal(job.storedCount, 50)
  t.equal(await eventCount(worker), 50)
})
