/** The federation key: DATA_DIR/federation.key created on first use (mode 0600) and kept; another key cannot read the credentials. */
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { decryptCredentials, encryptCredentials } from '../../src/federation/credentials.js'
import { federationKeySource, keyFromText } from '../../src/federation/key.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildTestApp, buildWithDatabase, captureAndWait, testConfig } from '../helper.js'
import { FAST } from '../subscriptions/helpers.js'
import { createPeer, listen, peerOf, storedEventIds, until } from './peer-helpers.js'

t.test('without FEDERATION_KEY the key is created in DATA_DIR on first use, mode 0600, and read back', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-fedkey-'))
  const source = federationKeySource({ configured: undefined, dataDir })
  t.equal(await source(false), undefined, 'nothing is created before it is needed')
  const created = (await source(true))!
  const file = join(dataDir, 'federation.key')
  t.equal((await stat(file)).mode & 0o777, 0o600)
  t.same(keyFromText(await readFile(file, 'utf8')), created.key)
  t.same((await federationKeySource({ configured: undefined, dataDir })(false))!.key, created.key, 'another instance on the same DATA_DIR reads the same key')
  const sealed = encryptCredentials(created, 'peer-a', { bearer: 'secret-token' })
  t.same(decryptCredentials(created, created.id, 'peer-a', sealed), { bearer: 'secret-token' })
  t.throws(() => decryptCredentials(created, created.id, 'peer-b', sealed), /cannot be decrypted/, 'bound to its peer')
  const other = (await federationKeySource({ configured: 'ab'.repeat(32), dataDir })(false))!
  t.throws(() => decryptCredentials(other, created.id, 'peer-a', sealed), new RegExp(`encrypted with federation key ${created.id}`))
})

t.test('an instance with another key reports the peer failing and keeps its events', async (t) => {
  const { app: receiver } = await buildWithDatabase(t, { ...FAST })
  const receiverUrl = await listen(receiver)
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-fedkey-'))
  const { app: sender, databaseUrl } = await buildWithDatabase(t, { ...FAST, DATA_DIR: dataDir, SUBSCRIPTION_CONCURRENCY: 0 })
  await createPeer(sender, { id: 'p', name: 'P', baseUrl: receiverUrl, direction: 'push', credentials: { bearer: 'nguon-test-operator-key-0123456789abcdef' } })
  await captureAndWait(sender, epcisDocument([objectEvent({ eventID: 'urn:uuid:6e7c0000-0000-4000-8000-000000000001' })]))
  // Another instance on the same database, with a key of its own: it cannot read the credentials.
  const stranger = await buildTestApp({ config: { ...testConfig({ ...FAST, FEDERATION_KEY: 'cd'.repeat(32) }), DATABASE_URL: databaseUrl } })
  await stranger.ready()
  t.teardown(() => stranger.close())
  const failing = await until('the failure', async () => {
    const view = await peerOf(sender, 'p')
    return view.state.lastError ? view : undefined
  })
  t.match(failing.state.lastError, /federation key/)
  t.same(await storedEventIds(receiver), [])
  await stranger.close()
  // The instance with the right key (DATA_DIR/federation.key) delivers them.
  const rightful = await buildTestApp({ config: { ...testConfig({ ...FAST, DATA_DIR: dataDir }), DATABASE_URL: databaseUrl } })
  await rightful.ready()
  t.teardown(() => rightful.close())
  await until('the delivery', async () => (await storedEventIds(receiver)).length === 1, 20_000)
  t.pass('delivered by the instance that has the key')
})
