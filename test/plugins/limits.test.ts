import { sql } from 'kysely'
import t from 'tap'
import { jsonDepth } from '../../src/plugins/json-depth.js'
import { build, buildTestApp, testConfig } from '../helper.js'
import { createTestDatabase } from '../db.js'

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf'
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { deeper: value } : [value]
  return value
}

t.test('jsonDepth counts nesting without recursion', async (t) => {
  t.equal(jsonDepth('text', 64), 0)
  t.equal(jsonDepth({}, 64), 1)
  t.equal(jsonDepth({ a: [1, { b: null }] }, 64), 3)
  t.equal(jsonDepth(nested(200_000), 64), 65, 'stops counting past the limit, even for a very deep value')
})

t.test('JSON bodies nested too deep are refused before any route walks them', async (t) => {
  const app = await build(t, { JSON_MAX_DEPTH: 16 })
  const document = { '@context': 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld', type: 'EPCISDocument', deep: nested(40) }
  for (const contentType of ['application/json', 'application/ld+json']) {
    const response = await app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': contentType }, payload: JSON.stringify(document) })
    t.equal(response.statusCode, 400, contentType)
    t.equal(response.json().type, 'epcisException:ValidationException')
    t.match(response.json().detail, /deeper than 16 levels/)
  }
  const jobs = await app.inject({ method: 'GET', url: '/capture' })
  t.equal(jobs.statusCode, 200)
  t.same((jobs.json() as unknown[]).length, 0, 'nothing was stored')
})

t.test('per-caller rate limit: 429 with Retry-After as an EPCIS problem', async (t) => {
  const app = await build(t, { RATE_LIMIT_MAX: 3, RATE_LIMIT_WINDOW_MS: 60_000 })
  const statuses: number[] = []
  let last
  for (let i = 0; i < 5; i++) {
    last = await app.inject({ method: 'GET', url: '/' })
    statuses.push(last.statusCode)
  }
  t.same(statuses, [200, 200, 200, 429, 429])
  t.ok(Number(last!.headers['retry-after']) > 0, 'Retry-After in seconds')
  t.match(last!.headers['content-type'], /^application\/problem\+json/)
  t.equal(last!.json().status, 429)
  t.match(last!.json().detail, /Rate limit of 3 requests/)
  const other = await app.inject({ method: 'GET', url: '/', remoteAddress: '192.0.2.7' })
  t.equal(other.statusCode, 200, 'another caller has its own bucket')
  const withKey = await app.inject({ method: 'GET', url: '/events' })
  t.equal(withKey.statusCode, 200, 'an authenticated caller is counted by its credentials, not its address')
})

t.test('a statement cancelled by STATEMENT_TIMEOUT_MS answers 413 QueryTooComplexException', async (t) => {
  const database = await createTestDatabase()
  const config = testConfig({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 0, STATEMENT_TIMEOUT_MS: 300 })
  const app = await buildTestApp({ config: { ...config, DATABASE_URL: database.url } })
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  app.get('/slow', { config: { auth: 'public' } }, async () => {
    await sql`SELECT pg_sleep(2)`.execute(app.db)
    return { done: true }
  })
  await app.ready()
  const response = await app.inject({ method: 'GET', url: '/slow' })
  t.equal(response.statusCode, 413)
  t.equal(response.json().type, 'epcisException:QueryTooComplexException')
  const { rows } = await sql<{ statement_timeout: string }>`SHOW statement_timeout`.execute(app.db)
  t.equal(rows[0]!.statement_timeout, '300ms', 'the pool sets the timeout on its connections')
})

t.test('security headers, and resources stay readable cross-origin', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/health/live' })
  t.match(response.headers['content-security-policy'], /default-src 'self'/)
  t.match(response.headers['content-security-policy'], /frame-ancestors 'none'/)
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.equal(response.headers['cross-origin-resource-policy'], 'cross-origin')
  t.ok(response.headers['strict-transport-security'])
})
