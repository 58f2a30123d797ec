import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildTestApp, buildWithDatabase, TEST_ADMIN_API_KEY, testConfig } from '../helper.js'

t.test('the first start on an empty database creates an admin key in DATA_DIR/admin.key', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-bootstrap-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const { app, databaseUrl } = await buildWithDatabase(t, { ADMIN_API_KEY: undefined, DATA_DIR: dataDir })
  const file = join(dataDir, 'admin.key')
  t.equal((await stat(file)).mode & 0o777, 0o600, 'mode 0600')
  const key = (await readFile(file, 'utf8')).trim()
  t.match(key, /^ngk_/)
  const ok = await app.inject({ method: 'GET', url: '/admin/api-keys', headers: { authorization: `Bearer ${key}` } })
  t.equal(ok.statusCode, 200, 'the key is an admin key')
  const events = await app.inject({ method: 'GET', url: '/events', headers: { authorization: `Bearer ${key}` } })
  t.equal(events.statusCode, 200, 'and holds every role')
  t.equal((await app.inject({ method: 'GET', url: '/events', headers: { authorization: `Bearer ${TEST_ADMIN_API_KEY}` } })).statusCode, 401, 'without ADMIN_API_KEY the test key is refused')

  await rm(file)
  const again = await buildTestApp({ config: { ...testConfig({ ADMIN_API_KEY: undefined, DATA_DIR: dataDir, CAPTURE_WORKER_CONCURRENCY: 0 }), DATABASE_URL: databaseUrl } })
  t.teardown(() => again.close())
  await t.rejects(stat(file), 'a database that has keys gets no new one')
  t.equal((await again.inject({ method: 'GET', url: '/events', headers: { authorization: `Bearer ${key}` } })).statusCode, 200, 'the first key still works')
})

t.test('ADMIN_API_KEY is an operator key and nothing is written', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-bootstrap-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const { app } = await buildWithDatabase(t, { ADMIN_API_KEY: 'an-operator-key-that-is-long-enough-0001', DATA_DIR: dataDir })
  await t.rejects(stat(join(dataDir, 'admin.key')))
  const response = await app.inject({ method: 'GET', url: '/admin/organizations', headers: { authorization: 'Bearer an-operator-key-that-is-long-enough-0001' } })
  t.equal(response.statusCode, 200)
  const wrong = await app.inject({ method: 'GET', url: '/admin/organizations', headers: { authorization: 'Bearer an-operator-key-that-is-long-enough-0002' } })
  t.equal(wrong.statusCode, 401)
})
