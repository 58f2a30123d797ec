import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { build } from '../helper.js'
import { bearer, createKey, post } from '../security/fixtures.js'

const anonymous = { authorization: '' }

t.test('health probes are never rate limited; other answers past the limit are a clear 429', async (t) => {
  const app = await build(t, { RATE_LIMIT_MAX: 3, RATE_LIMIT_WINDOW_MS: 60_000 })
  const probes = []
  for (let i = 0; i < 8; i++) {
    probes.push((await app.inject({ method: 'GET', url: i % 2 ? '/health/ready' : '/health/live', headers: anonymous })).statusCode)
  }
  t.same(probes, Array(8).fill(200), 'eight probes from one address all answer')
  const statuses = []
  let last
  for (let i = 0; i < 4; i++) {
    last = await app.inject({ method: 'GET', url: '/', headers: anonymous })
    statuses.push(last.statusCode)
  }
  t.same(statuses, [200, 200, 200, 429], 'the probes did not use up the bucket')
  const problem = last!.json()
  t.equal(problem.type, 'about:blank', 'a documented problem type, not an EPCIS ImplementationException')
  t.equal(problem.title, 'Too Many Requests')
  t.equal(problem.status, 429)
  t.ok(Number(last!.headers['retry-after']) > 0, 'Retry-After')
})

t.test('a concurrent burst is counted request by request', async (t) => {
  const app = await build(t, { RATE_LIMIT_MAX: 2 })
  const burst = await Promise.all([1, 2, 3].map(() => app.inject({ method: 'GET', url: '/', headers: anonymous })))
  t.same(burst.map((r) => r.statusCode).sort(), [200, 200, 429], 'two within the limit, one over it')
})

t.test('TRUST_PROXY: behind a trusted proxy each client has its own bucket', async (t) => {
  const proxy = '10.0.0.5'
  const ask = (app: Awaited<ReturnType<typeof build>>, client: string, remoteAddress = proxy) =>
    app.inject({ method: 'GET', url: '/', headers: { ...anonymous, 'x-forwarded-for': client }, remoteAddress })

  t.test('without it, every client behind the proxy shares the proxy address', async (t) => {
    const app = await build(t, { RATE_LIMIT_MAX: 2 })
    t.same([(await ask(app, '198.51.100.1')).statusCode, (await ask(app, '198.51.100.1')).statusCode], [200, 200])
    t.equal((await ask(app, '198.51.100.2')).statusCode, 429, 'another client is limited with the first')
  })

  for (const setting of ['10.0.0.0/8', '10.0.0.5', '1']) {
    t.test(`TRUST_PROXY=${setting}`, async (t) => {
      const app = await build(t, { RATE_LIMIT_MAX: 2, TRUST_PROXY: setting })
      t.same([(await ask(app, '198.51.100.1')).statusCode, (await ask(app, '198.51.100.1')).statusCode], [200, 200])
      t.equal((await ask(app, '198.51.100.1')).statusCode, 429, 'the first client is limited')
      t.equal((await ask(app, '198.51.100.2')).statusCode, 200, 'another client behind the same proxy is not')
      if (setting !== '1') {
        // A client that is not the proxy cannot choose its bucket by sending X-Forwarded-For.
        const direct = []
        for (const forged of ['198.51.100.3', '198.51.100.4', '198.51.100.5']) direct.push((await ask(app, forged, '203.0.113.9')).statusCode)
        t.same(direct, [200, 200, 429], 'a forged header from elsewhere is ignored')
      }
    })
  }

  t.test('a bad value stops the start naming the variable', async (t) => {
    t.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' }), /env\/TRUST_PROXY/)
    t.throws(() => loadConfig({ TRUST_PROXY: 'proxy.example' }), /env\/TRUST_PROXY/)
    t.doesNotThrow(() => loadConfig({ TRUST_PROXY: 'loopback, 192.0.2.0/24, 2001:db8::/32' }))
  })
})

t.test('repeated failed authentications from one address are refused before any key lookup', async (t) => {
  const app = await build(t, { AUTH_FAILURE_LIMIT: 3, RATE_LIMIT_WINDOW_MS: 60_000 })
  await post(app, '/admin/organizations', { id: 'alpha', name: 'Alpha' })
  const good = (await createKey(app, 'alpha', ['query'])).key
  const linksOnly = (await createKey(app, 'alpha', ['links'])).key
  const from = (remoteAddress: string, key?: string) =>
    app.inject({ method: 'GET', url: '/events', headers: key === undefined ? anonymous : bearer(key), remoteAddress })

  const attacker = '198.51.100.66'
  const failures = [
    (await from(attacker, 'ngk_guess01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode,
    (await from(attacker)).statusCode,
    (await from(attacker, linksOnly)).statusCode,
  ]
  t.same(failures, [401, 401, 403], 'unknown key, no key, a role not held: three failures')
  const refused = await from(attacker, good)
  t.equal(refused.statusCode, 429, 'the fourth attempt is refused, whatever the key: it is not even looked up')
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After')
  t.equal(refused.json().title, 'Too Many Requests')
  t.equal((await from('198.51.100.67', good)).statusCode, 200, 'other addresses are not affected')
  t.equal((await from('198.51.100.67', good)).statusCode, 200, 'successes do not count')
})
