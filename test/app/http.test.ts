import { sql } from 'kysely'
import t from 'tap'
import { build } from '../helper.js'

t.test('discovery, version headers, request ids and problems', async (t) => {
  const app = await build(t)

  const root = await app.inject({ method: 'GET', url: '/' })
  t.equal(root.statusCode, 200)
  const resources = root.json() as string[]
  t.same(resources, ['events', 'eventTypes', 'epcs', 'bizSteps', 'bizLocations', 'readPoints', 'dispositions', 'capture', 'queries'])
  for (const resource of resources) {
    const listed = await app.inject({ method: 'GET', url: `/${resource}` })
    t.equal(listed.statusCode, 200, `GET /${resource} answers`)
  }
  t.equal(root.headers['gs1-epcis-version'], '2.0.0')
  t.equal(root.headers['gs1-cbv-version'], '2.0.0')
  t.match(root.headers['x-request-id'], /^[0-9a-f-]{36}$/)

  for (const url of ['/', '/events', '/events/urn:uuid:1', '/capture', '/capture/abc', '/vocabularies']) {
    const options = await app.inject({ method: 'OPTIONS', url })
    t.equal(options.statusCode, 204, `OPTIONS ${url}`)
    t.match(options.headers.allow, /OPTIONS/, `OPTIONS ${url}: Allow`)
    t.equal(options.headers['gs1-epcis-min'], '2.0.0')
    t.equal(options.headers['gs1-epcis-max'], '2.0.0')
    t.equal(options.headers['gs1-cbv-min'], '2.0.0')
  }

  const missing = await app.inject({ method: 'GET', url: '/no/such/thing' })
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.equal(missing.json().type, 'epcisException:NoSuchResourceException')
  t.equal(missing.json().instance, `urn:uuid:${missing.headers['x-request-id']}`)
  t.equal(missing.headers['gs1-epcis-version'], '2.0.0', 'errors carry the version headers too')
})

t.test('long and malformed paths answer EPCIS problems, not router errors', async (t) => {
  const app = await build(t)
  const longEpc = `urn:example:item:${'A'.repeat(400)}`
  const long = await app.inject({ method: 'GET', url: `/epcs/${encodeURIComponent(longEpc)}/events` })
  t.equal(long.statusCode, 200, 'a 417-character identifier in a path is a normal request')

  const tooLong = await app.inject({ method: 'GET', url: `/epcs/${'x'.repeat(3000)}/events` })
  t.equal(tooLong.statusCode, 414)
  t.match(tooLong.headers['content-type'], /^application\/problem\+json/)
  t.equal(tooLong.json().type, 'epcisException:URITooLongException')

  const badUrl = await app.inject({ method: 'GET', url: '/epcs/%E0%A4%A/events' })
  t.equal(badUrl.statusCode, 400)
  t.equal(badUrl.json().type, 'epcisException:ValidationException')
})

t.test('health: live, ready, and not ready when migrations are missing', async (t) => {
  const app = await build(t)
  t.same((await app.inject({ method: 'GET', url: '/health/live' })).json(), { status: 'ok' })
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200)
  await sql`DELETE FROM kysely_migration`.execute(app.db)
  const notReady = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(notReady.statusCode, 503)
  t.equal(notReady.json().detail, 'migrations pending')
})

t.test('an internal failure is a generic 500 that leaks nothing', async (t) => {
  const app = await build(t)
  await sql`ALTER TABLE event RENAME TO event_moved`.execute(app.db)
  const response = await app.inject({ method: 'GET', url: '/events' })
  t.equal(response.statusCode, 500)
  const problem = response.json()
  t.equal(problem.type, 'epcisException:ImplementationException')
  t.notMatch(response.body, /event_moved|relation|postgres|stack|at /i, 'no internals in the body')
  await sql`ALTER TABLE event_moved RENAME TO event`.execute(app.db)
})

t.test('OpenAPI is served as JSON and browsable', async (t) => {
  const app = await build(t)
  const spec = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(spec.statusCode, 200)
  t.equal(spec.json().openapi, '3.1.0')
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger/i)
})
