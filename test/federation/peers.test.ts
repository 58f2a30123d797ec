/** /admin/peers: definitions checked, credentials encrypted and never answered nor logged, paging, state. */
import http from 'node:http'
import { Writable } from 'node:stream'
import t from 'tap'
import { build as buildApp } from '../../src/app.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { build, buildWithDatabase, captureAndWait, sendAdminKeyByDefault, TEST_ADMIN_API_KEY, testConfig } from '../helper.js'
import { createTestDatabase } from '../db.js'
import { createPeer, FEDERATION, listen, peerOf, storedEventIds, until } from './peer-helpers.js'

const SECRET = 'peer-bearer-secret-5f1c2a9e-never-shown'
const CLIENT_SECRET = 'oauth-client-secret-0b8d7c6e-never-shown'

t.test('a peer is created, read, listed, changed and deleted; its credentials are never answered', async (t) => {
  const app = await build(t, FEDERATION)
  const created = await createPeer(app, {
    id: 'national',
    name: 'National portal',
    baseUrl: 'http://127.0.0.1:9/epcis/',
    direction: 'push',
    credentials: { bearer: SECRET },
    query: { EQ_bizStep: ['shipping'] },
  })
  t.match(created, { id: 'national', baseUrl: 'http://127.0.0.1:9/epcis', direction: 'push', credentials: { kind: 'bearer' }, pullIntervalSeconds: 60, sendEverything: false })
  t.match(created.state, { status: 'new', eventsSent: 0, eventsReceived: 0, lastError: null, failingSince: null })
  await createPeer(app, {
    id: 'source',
    name: 'Source',
    baseUrl: 'http://127.0.0.1:9',
    direction: 'pull',
    credentials: { tokenUrl: 'http://127.0.0.1:9/token', clientId: 'nguon', clientSecret: CLIENT_SECRET, scope: 'epcis' },
    pullIntervalSeconds: 300,
    sendEverything: true,
  })
  const first = await app.inject({ method: 'GET', url: '/admin/peers?perPage=1' })
  t.equal(first.statusCode, 200)
  t.same(first.json().map((p: { id: string }) => p.id), ['national'])
  const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))![1]!
  const second = await app.inject({ method: 'GET', url: next })
  t.same(second.json().map((p: { id: string }) => p.id), ['source'])
  t.match(second.json()[0], { direction: 'pull', pullIntervalSeconds: 300, sendEverything: true, credentials: { kind: 'oauth2' } })

  const put = await app.inject({
    method: 'PUT',
    url: '/admin/peers/national',
    payload: { name: 'National portal (new)', baseUrl: 'http://127.0.0.1:9/v2', direction: 'push', query: { EQ_bizStep: ['receiving'] } },
  })
  t.equal(put.statusCode, 200, put.body)
  t.match(put.json(), { name: 'National portal (new)', baseUrl: 'http://127.0.0.1:9/v2', query: { EQ_bizStep: ['receiving'] } })
  const subscriptions = await app.db.selectFrom('subscription').select(['dest', 'destination_kind', 'query_name']).execute()
  t.same(subscriptions, [{ dest: 'http://127.0.0.1:9/v2/capture', destination_kind: 'peer', query_name: 'peer:national' }], 'one subscription carries the push')
  const turned = await app.inject({ method: 'PUT', url: '/admin/peers/national', payload: { name: 'x', baseUrl: 'http://127.0.0.1:9', direction: 'pull' } })
  t.equal(turned.statusCode, 400, 'the direction cannot change')

  const stored = await app.db.selectFrom('peer').select(['credentials', 'credentials_key_id']).execute()
  for (const row of stored) {
    t.notOk(row.credentials.toString('latin1').includes('never-shown'), 'stored encrypted')
  }
  for (const url of ['/admin/peers', '/admin/peers/national', '/admin/peers/source']) {
    const body = (await app.inject({ method: 'GET', url })).body
    t.notOk(body.includes(SECRET) || body.includes(CLIENT_SECRET), `${url} answers no secret`)
  }

  t.equal((await app.inject({ method: 'DELETE', url: '/admin/peers/national' })).statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: '/admin/peers/national' })).statusCode, 404)
  t.equal((await app.db.selectFrom('subscription').selectAll().execute()).length, 0, 'its subscription ended')
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/peers/national' })).statusCode, 404)
})

t.test('bad definitions get problems naming the field', async (t) => {
  const app = await build(t, { ...FEDERATION, SUBSCRIPTION_DESTINATIONS: 'peer.example' })
  const base = { id: 'p', name: 'P', baseUrl: 'https://peer.example', direction: 'push', credentials: { bearer: SECRET } }
  const cases: Array<[string, Record<string, unknown>, number, RegExp]> = [
    ['unknown direction', { ...base, direction: 'both' }, 400, /direction/],
    ['no credentials', { ...base, credentials: undefined }, 400, /credentials/],
    ['half OAuth credentials', { ...base, credentials: { tokenUrl: 'https://t.example', clientId: 'c' } }, 400, /credentials/],
    ['not http', { ...base, baseUrl: 'ftp://peer.example' }, 400, /baseUrl/],
    ['a host SUBSCRIPTION_DESTINATIONS does not allow', { ...base, baseUrl: 'http://10.0.0.1' }, 400, /baseUrl/],
    ['a paging parameter in the query', { ...base, query: { perPage: 5 } }, 400, /perPage/],
    ['an unknown query parameter', { ...base, query: { EQ_nonsense: ['x'] } }, 400, /EQ_nonsense/],
    ['a bad id', { ...base, id: 'a b' }, 400, /id/],
  ]
  for (const [what, payload, status, detail] of cases) {
    const response = await app.inject({ method: 'POST', url: '/admin/peers', payload })
    t.equal(response.statusCode, status, what)
    t.match(response.json().detail ?? response.json().title, detail, what)
    t.notOk(response.body.includes(SECRET), `${what}: the answer holds no secret`)
  }
  const noRole = await app.inject({ method: 'GET', url: '/admin/peers', headers: { authorization: '' } })
  t.equal(noRole.statusCode, 401)
})

t.test('a peer that refuses the token is failing with its 401; nothing is dropped; the secrets are in no log line', async (t) => {
  const { app: receiver } = await buildWithDatabase(t, FEDERATION)
  const receiverUrl = await listen(receiver)
  let logged = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk.toString()
      done()
    },
  })
  const database = await createTestDatabase()
  const sender = sendAdminKeyByDefault(
    await buildApp({ config: { ...testConfig(FEDERATION), LOG_LEVEL: 'trace', DATABASE_URL: database.url }, logger: { level: 'trace', stream } }),
  )
  await sender.ready()
  t.teardown(async () => {
    await sender.close()
    await database.drop()
  })
  // An OAuth token endpoint that hands out a wrong token first (the peer answers 401), then the right one.
  let grants = 0
  const tokens = http.createServer((request, response) => {
    let body = ''
    request.on('data', (c) => (body += c))
    request.on('end', () => {
      const form = new URLSearchParams(body)
      const good = form.get('client_secret') === CLIENT_SECRET && form.get('grant_type') === 'client_credentials'
      grants++
      response.writeHead(good ? 200 : 401, { 'content-type': 'application/json' })
      response.end(JSON.stringify(good ? { access_token: grants === 1 ? 'wrong-token' : TEST_ADMIN_API_KEY, expires_in: 3600 } : { error: 'invalid_client' }))
    })
  })
  await new Promise<void>((resolve) => tokens.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => tokens.close(resolve)))
  const tokenUrl = `http://127.0.0.1:${(tokens.address() as { port: number }).port}/token`

  await createPeer(sender, { id: 'p', name: 'P', baseUrl: receiverUrl, direction: 'push', credentials: { bearer: SECRET } })
  const events = [1, 2].map((n) => objectEvent({ eventID: `urn:uuid:5ec2e700-0000-4000-8000-00000000000${n}` }))
  await captureAndWait(sender, epcisDocument(events))
  const failing = await until('the failure', async () => {
    const view = await peerOf(sender, 'p')
    return view.state.failingSince ? view : undefined
  })
  t.equal(failing.state.status, 'failing')
  t.match(failing.state.lastError, /401/, "the peer's 401 is in the state")
  t.match(failing.state.lastError, /SecurityException/, "with the peer's problem")
  t.equal(failing.state.eventsSent, 0)
  t.ok(failing.state.lagMs! > 0, 'the events wait')
  t.same(await storedEventIds(receiver), [])

  const changed = await sender.inject({
    method: 'PUT',
    url: '/admin/peers/p',
    payload: { name: 'P', baseUrl: receiverUrl, direction: 'push', credentials: { tokenUrl, clientId: 'nguon', clientSecret: CLIENT_SECRET, scope: 'epcis' } },
  })
  t.equal(changed.statusCode, 200)
  await until('the events at the peer', async () => (await storedEventIds(receiver)).length === 2, 20_000)
  const ok = await until('the delivery counted', async () => {
    const view = await peerOf(sender, 'p')
    return view.state.status === 'ok' ? view : undefined
  })
  t.equal(ok.state.eventsSent, 2, 'nothing was dropped while the peer refused')
  t.ok(grants >= 2, 'a refused OAuth token is replaced by a new one')
  t.ok(logged.length > 1000, 'the run was logged')
  t.match(logged, /push to a peer failed/)
  t.notOk(logged.includes(SECRET), 'the bearer token is in no log line')
  t.notOk(logged.includes(CLIENT_SECRET), 'the client secret is in no log line')
})
