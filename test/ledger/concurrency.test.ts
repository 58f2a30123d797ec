import t from 'tap'
import { build as buildApp } from '../../src/app.js'
import { configWithDefaults } from '../../src/config.js'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { ADMIN_KEY, capture, get, ledgerApp, postEvent, verify } from './helpers.js'

t.test('concurrent captures on two instances keep one chain', async (t) => {
  const { app: one, databaseUrl } = await ledgerApp(t, { CAPTURE_WORKER_CONCURRENCY: 2 })
  const config = configWithDefaults({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 2, ADMIN_API_KEY: ADMIN_KEY })
  const two = await buildApp({ config: { ...config, DATABASE_URL: databaseUrl } })
  await two.ready()
  t.teardown(() => two.close())
  const instances = [one, two]
  // The first use of a new @context by concurrent captures (upsertContext) must not fail any of them.
  const singles = Array.from({ length: 21 }, (_, i) =>
    postEvent(instances[i % 2]!, { '@context': EPCIS_CONTEXT_URL, ...objectEvent() }),
  )
  const documents = Array.from({ length: 4 }, (_, i) =>
    capture(instances[i % 2]!, epcisDocument(Array.from({ length: 10 }, () => objectEvent()))),
  )
  const [posted, jobs] = await Promise.all([Promise.all(singles), Promise.all(documents)])
  t.same(posted.map((r) => r.statusCode), Array(21).fill(201), 'every single event stored')
  t.same(jobs.map((j) => j.storedCount), [10, 10, 10, 10], 'every document stored')

  const report = await verify(two)
  t.same(report.firstBroken, null)
  t.match(report, { valid: true, entries: 25, events: 61, head: { seq: 25 } })
  const entries = (await get(one, '/audit/ledger?perPage=100')).json()
  t.same(entries.map((e: { seq: number }) => e.seq), Array.from({ length: 25 }, (_, i) => i + 1), 'seq 1..25, no fork')
  t.same(entries.map((e: { leafCount: number }) => e.leafCount).sort((a: number, b: number) => a - b), [...Array(21).fill(1), 10, 10, 10, 10])
})
