import t from 'tap'
import { build } from '../helper.js'
import { bearer, buildWorld, named } from './fixtures.js'

/** A concrete URL for a route pattern (path parameters and wildcards filled in). */
function concrete(url: string): string {
  return url
    .replace(/\/\*$/, url.startsWith('/links') || /^\/\d/.test(url) ? '/09506000134352' : '/x')
    .replace(/:([A-Za-z]+)/g, 'x')
}

const SAMPLE_BODY: Record<string, unknown> = { hello: 'world' }

t.test('every route declares who may call it, and the credentials are checked', async (t) => {
  const app = await build(t)
  const world = await buildWorld(app)
  const routes = app.accessRules.filter((rule) => rule.method !== 'HEAD')
  t.ok(routes.length > 80, `${routes.length} routes are listed`)
  const missing = routes.filter((rule) => rule.auth === undefined).map((rule) => `${rule.method} ${rule.url}`)
  t.same(missing, [], 'no route lacks config.auth')

  const secured = routes.filter((rule) => rule.auth !== undefined && rule.auth !== 'public')
  const publicRoutes = routes.filter((rule) => rule.auth === 'public')
  t.ok(secured.some((r) => r.url === '/events') && secured.some((r) => r.url === '/admin/api-keys'), 'EPCIS and admin routes are secured')
  for (const path of ['/health/live', '/openapi.json', '/qr', '/.well-known/gs1resolver', '/01/*', '/docs']) {
    t.ok(publicRoutes.some((r) => r.url === path), `${path} is public`)
  }

  const credentials: Array<[string, Record<string, string>]> = [
    ['no token', { authorization: '' }],
    ['not a bearer token', { authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' }],
    ['a bad token', bearer('ngk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')],
    ['garbage', bearer('not-a-key')],
    ['an expired key', bearer(world.keys.expired)],
    ['a revoked key', bearer(world.keys.revoked)],
  ]
  for (const rule of secured) {
    const url = concrete(rule.url)
    for (const [label, headers] of credentials) {
      const response = await app.inject({ method: rule.method as 'GET', url, headers, ...(rule.method === 'POST' || rule.method === 'PUT' ? { payload: SAMPLE_BODY } : {}) })
      if (response.statusCode !== 401) t.fail(`${rule.method} ${rule.url} with ${label}: ${response.statusCode}`)
      else if (!/^Bearer/.test(String(response.headers['www-authenticate']))) t.fail(`${rule.method} ${rule.url}: no WWW-Authenticate`)
      else if (response.json().type !== 'epcisException:SecurityException') t.fail(`${rule.method} ${rule.url}: not a SecurityException`)
    }
    const roles = typeof rule.auth === 'object' ? rule.auth.roles : []
    if (!roles.includes('links')) {
      const response = await app.inject({ method: rule.method as 'GET', url, headers: bearer(world.keys.alphaLinksOnly) })
      if (response.statusCode !== 403) t.fail(`${rule.method} ${rule.url} with a key lacking the role: ${response.statusCode}`)
      else if (response.json().type !== 'epcisException:SecurityException') t.fail(`${rule.method} ${rule.url}: 403 not a SecurityException`)
    }
    const asAdmin = await app.inject({ method: rule.method as 'GET', url, ...(rule.method === 'POST' || rule.method === 'PUT' ? { payload: SAMPLE_BODY } : {}) })
    if (asAdmin.statusCode === 401 || asAdmin.statusCode === 403 || (asAdmin.statusCode >= 500 && asAdmin.statusCode !== 501)) {
      t.fail(`${rule.method} ${rule.url} as admin: ${asAdmin.statusCode} ${asAdmin.body.slice(0, 200)}`)
    }
  }
  for (const rule of publicRoutes) {
    const response = await app.inject({ method: rule.method as 'GET', url: concrete(rule.url), headers: { authorization: '' } })
    if (response.statusCode === 401 || response.statusCode === 403) t.fail(`public ${rule.method} ${rule.url}: ${response.statusCode}`)
  }
  t.pass(`${secured.length} secured routes x ${credentials.length + 2} callers, ${publicRoutes.length} public routes checked`)

  const unknown = await app.inject({ method: 'GET', url: '/no/such/thing', headers: { authorization: '' } })
  t.equal(unknown.statusCode, 404, 'an unknown path is still a 404 problem')
  t.equal(unknown.json().type, 'epcisException:NoSuchResourceException')
})

t.test('no read path shows an organisation events it may not see', async (t) => {
  const app = await build(t)
  const world = await buildWorld(app)
  const all = Object.values(world.events)
  const { alphaToBeta, alphaPrivate, betaPrivate } = world.events
  const sees = { alpha: [alphaToBeta, alphaPrivate], beta: [alphaToBeta, betaPrivate], gamma: [] as string[] }
  const epc = encodeURIComponent(world.alphaPrivateEpc)
  await app.inject({ method: 'POST', url: '/queries', payload: { name: 'everything', query: { eventType: ['ObjectEvent'] } } })
  const paths = [
    '/events',
    '/events?perPage=1',
    `/events/${encodeURIComponent(alphaPrivate)}`,
    `/events/${encodeURIComponent(betaPrivate)}`,
    `/events?MATCH_epc=${epc}`,
    `/events?EQ_bizLocation=${encodeURIComponent('urn:epc:id:sgln:8934567.00001.0')}`,
    '/eventTypes/ObjectEvent/events',
    `/epcs/${epc}/events`,
    '/bizSteps/shipping/events',
    `/bizLocations/${encodeURIComponent('urn:epc:id:sgln:8939999.00001.0')}/events`,
    '/queries/everything/events',
    `/traceability/lineage?epc=${epc}`,
    `/traceability/state?epc=${epc}`,
    `/traceability/recall?epc=${encodeURIComponent('urn:epc:idpat:sgtin:8934567.012345.*')}`,
  ]
  for (const [organisation, visible] of Object.entries(sees)) {
    const key = world.keys[organisation as keyof typeof sees]
    const hidden = all.filter((id) => !visible.includes(id))
    for (const path of paths) {
      const response = await app.inject({ method: 'GET', url: path, headers: bearer(key) })
      t.ok(response.statusCode < 500, `${organisation} ${path}: ${response.statusCode}`)
      // A 404 for /events/{id} repeats the id asked for: that is no leak.
      const asked = hidden.filter((id) => !decodeURIComponent(path).includes(id))
      t.same(named(response.body, asked), [], `${organisation} ${path}: no foreign event`)
      if (asked.length < hidden.length) t.equal(response.statusCode, 404, `${organisation} ${path}: a hidden event is a 404`)
    }
    const listed = await app.inject({ method: 'GET', url: '/events?perPage=1000', headers: bearer(key) })
    t.same(named(listed.body, all).sort(), [...visible].sort(), `${organisation} sees exactly its events`)
  }

  const asGamma = async (path: string) => app.inject({ method: 'GET', url: path, headers: bearer(world.keys.gamma) })
  t.notMatch((await asGamma('/epcs')).body, /SECRET1|8934567/, 'resource lists do not leak identifiers of hidden events')
  t.notMatch((await asGamma('/bizLocations')).body, /8934567|8939999/)
  t.equal((await asGamma(`/epcs/${epc}`)).statusCode, 404, 'nor does a resource lookup')
  t.notMatch((await asGamma('/vocabularies')).body, /Alpha secret product/, 'nor master data')
  const asBeta = await app.inject({ method: 'GET', url: '/vocabularies', headers: bearer(world.keys.beta) })
  t.match(asBeta.body, /Alpha secret product/, 'master data of a product in an event beta sees is readable')
  t.same((await asGamma('/capture')).json(), [], 'capture jobs: own only')
  const jobs = (await app.inject({ method: 'GET', url: '/capture', headers: bearer(world.keys.beta) })).json() as Array<{ captureID: string }>
  t.equal(jobs.length, 1, 'beta lists its one job')
  const alphaJobs = (await app.inject({ method: 'GET', url: '/capture', headers: bearer(world.keys.alpha) })).json() as Array<{ captureID: string }>
  t.equal((await asGamma(`/capture/${alphaJobs[0]!.captureID}`)).statusCode, 404, "another organisation's job is a 404")

  t.test('page tokens cannot reach another organisation', async (t) => {
    const first = await app.inject({ method: 'GET', url: '/events?perPage=1', headers: bearer(world.keys.alpha) })
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))![1]!
    const token = new URL(next, 'http://x').searchParams.get('nextPageToken')!
    for (const key of [world.keys.beta, world.keys.gamma]) {
      const reused = await app.inject({ method: 'GET', url: `/events?perPage=1&nextPageToken=${encodeURIComponent(token)}`, headers: bearer(key) })
      t.equal(reused.statusCode, 400, "alpha's token is refused for another organisation")
      t.same(named(reused.body, [alphaPrivate]), [])
    }
    const [data, signature] = token.split('.') as [string, string]
    const payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as { s: string }
    payload.s = payload.s.replace(/:.*/, ':forged')
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`
    const response = await app.inject({ method: 'GET', url: `/events?nextPageToken=${encodeURIComponent(forged)}`, headers: bearer(world.keys.gamma) })
    t.equal(response.statusCode, 400, 'a forged token is refused')
    t.same(named(response.body, all), [])
  })
})

t.test('writes: capture stamps the organisation, links and named queries belong to their owner', async (t) => {
  const app = await build(t)
  const world = await buildWorld(app)
  const { rows } = await app.db.selectFrom('event').select(['event_id', 'organisation_id']).orderBy('id').execute().then((rows) => ({ rows }))
  t.same(
    rows.map((r) => [r.event_id, r.organisation_id]),
    [
      [world.events.alphaToBeta, 'alpha'],
      [world.events.alphaPrivate, 'alpha'],
      [world.events.betaPrivate, 'beta'],
    ],
  )
  const body = { itemDescription: 'Alpha lychee', links: [{ linkType: 'gs1:pip', href: 'https://alpha.example/p', title: 'Product' }] }
  const own = await app.inject({ method: 'PUT', url: '/links/01/08934567123457', headers: bearer(world.keys.alpha), payload: body })
  t.equal(own.statusCode, 201, 'alpha sets links for a GTIN of its company prefix')
  const foreign = await app.inject({ method: 'PUT', url: '/links/01/08934567123457', headers: bearer(world.keys.gamma), payload: body })
  t.equal(foreign.statusCode, 403, "gamma may not set alpha's links")
  const removal = await app.inject({ method: 'DELETE', url: '/links/01/08934567123457', headers: bearer(world.keys.gamma) })
  t.equal(removal.statusCode, 403, "nor delete them")
  const glnLinks = await app.inject({ method: 'PUT', url: `/links/414/${'8934567000017'}`, headers: bearer(world.keys.alpha), payload: { ...body, links: [] } })
  t.equal(glnLinks.statusCode, 201, 'alpha sets links for its GLN')

  const created = await app.inject({ method: 'POST', url: '/queries', headers: bearer(world.keys.beta), payload: { name: 'betas', query: { eventType: ['ObjectEvent'] } } })
  t.equal(created.statusCode, 201)
  t.equal((await app.inject({ method: 'DELETE', url: '/queries/betas', headers: bearer(world.keys.gamma) })).statusCode, 403, "gamma cannot delete beta's query")
  t.equal((await app.inject({ method: 'DELETE', url: '/queries/betas', headers: bearer(world.keys.beta) })).statusCode, 204)

  const put = (key: string) =>
    app.inject({ method: 'PUT', url: '/vocabularies/urn:epcglobal:epcis:vtype:BusinessLocation/urn:epc:id:sgln:8939999.00001.0', headers: bearer(key), payload: { attributes: [] } })
  t.equal((await put(world.keys.beta)).statusCode, 201, 'beta sets its location')
  t.equal((await put(world.keys.gamma)).statusCode, 403, 'gamma cannot overwrite it')
})

t.test('the admin API', async (t) => {
  const app = await build(t)
  const bad = await app.inject({ method: 'POST', url: '/admin/organizations', payload: { id: 'x', name: 'X', identifiers: ['8934567000018', 'hello'] } })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().errors.map((e: { pointer: string }) => e.pointer), ['/identifiers/0', '/identifiers/1'], 'bad check digit and garbage are named')
  const forms = await app.inject({
    method: 'POST',
    url: '/admin/organizations',
    payload: { id: 'delta', name: 'Delta', identifiers: ['https://id.gs1.org/417/8934567000017', 'urn:epc:id:sgln:8934567.00001.5', '8934567000017', '893456'] },
  })
  t.equal(forms.statusCode, 201)
  t.same(forms.json().identifiers, [
    { kind: 'pgln', digits: '8934567000017' },
    { kind: 'gln', digits: '8934567000017' },
    { kind: 'company_prefix', digits: '893456' },
  ], 'Digital Link, EPC URN (extension dropped) and digits')
  t.equal((await app.inject({ method: 'POST', url: '/admin/organizations', payload: { id: 'delta', name: 'Again' } })).statusCode, 409)
  const key = await app.inject({ method: 'POST', url: '/admin/api-keys', payload: { organization: 'delta', roles: ['query'] } })
  t.equal(key.statusCode, 201)
  t.match(key.json().key, /^ngk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  t.equal((await app.inject({ method: 'GET', url: '/events', headers: bearer(key.json().key) })).statusCode, 200, 'the new key works')
  const listed = await app.inject({ method: 'GET', url: '/admin/api-keys' })
  t.notMatch(listed.body, new RegExp(key.json().key.split('_').at(-1)!.replace(/[-]/g, '\\-')), 'lists never show a key')
  const stored = await app.db.selectFrom('api_key').select('secret_hash').where('id', '=', key.json().id).executeTakeFirstOrThrow()
  t.equal(stored.secret_hash.length, 32, 'only a SHA-256 is stored')
  t.equal((await app.inject({ method: 'POST', url: '/admin/api-keys', payload: { organization: 'nobody', roles: ['query'] } })).statusCode, 400)
  t.equal((await app.inject({ method: 'POST', url: '/admin/api-keys', payload: { organization: 'delta', roles: ['root'] } })).statusCode, 400)
  t.equal(
    (await app.inject({ method: 'POST', url: '/admin/api-keys', payload: { organization: 'delta', roles: ['query'], expiresAt: '2020-01-01T00:00:00Z' } })).statusCode,
    400,
    'an expiry in the past is refused',
  )
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/api-keys/nope' })).statusCode, 404)
  await app.inject({ method: 'POST', url: '/admin/organizations', payload: { id: 'epsilon', name: 'Epsilon' } })
  const orgs = await app.inject({ method: 'GET', url: '/admin/organizations?perPage=1' })
  t.equal(orgs.json().length, 1)
  t.ok(orgs.headers.link, 'paged')
})
