/**
 * A sending instance killed with SIGKILL while it follows the peer's capture job: another instance takes the
 * peer over when the lease runs out and delivers again; the peer stores each event once.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildTestApp, buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY, testConfig } from '../helper.js'
import { createPeer, FEDERATION, peerOf, peerWithoutWorkers, storedEventIds, until } from './peer-helpers.js'

t.test('a sender killed mid-delivery is taken over; nothing is stored twice at the peer', async (t) => {
  const { peer, peerUrl, startWorker } = await peerWithoutWorkers(t)
  // This instance captures but delivers nothing (SUBSCRIPTION_CONCURRENCY 0); the child delivers.
  const { app, databaseUrl } = await buildWithDatabase(t, { ...FEDERATION, SUBSCRIPTION_CONCURRENCY: 0 })
  await createPeer(app, { id: 'n', name: 'N', baseUrl: peerUrl, direction: 'push', credentials: { bearer: TEST_ADMIN_API_KEY } })
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/subscriptions/instance-child.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NGUON_TEST_DATABASE_URL: databaseUrl,
      NGUON_TEST_CONFIG: JSON.stringify({ ...FEDERATION, ADMIN_API_KEY: TEST_ADMIN_API_KEY, CAPTURE_WORKER_CONCURRENCY: 0, MIGRATE_ON_START: false, SUBSCRIPTION_LEASE_MS: 4000 }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await until('the child instance', async () => output.includes('READY'), 60_000)

  const events = [1, 2, 3].map((n) => objectEvent({ eventID: `urn:uuid:7a4e0000-0000-4000-8000-00000000000${n}` }))
  await captureAndWait(app, epcisDocument(events))
  await until('the child to hand the peer a job', async () => (await peer.db.selectFrom('capture_job').select('id').execute()).length > 0, 20_000)
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  t.same(await storedEventIds(peer), [], 'killed before the peer stored anything')

  // The peer's worker comes; another sending instance takes the peer over once the child's lease ends.
  await startWorker()
  const other = await buildTestApp({ config: { ...testConfig({ ...FEDERATION }), DATABASE_URL: databaseUrl } })
  await other.ready()
  t.teardown(() => other.close())
  const done = await until('the delivery taken over', async () => {
    const view = await peerOf(app, 'n')
    return view.state.eventsSent >= 3 && view.state.lagMs === 0 ? view : undefined
  }, 30_000)
  t.equal(done.state.status, 'ok')
  t.same(await storedEventIds(peer), events.map((e) => e.eventID as string).sort(), 'every event, once')
  const rows = await peer.db.selectFrom('event').select('event_id').execute()
  t.equal(rows.length, 3, 'nothing stored twice')
  t.ok((await peer.db.selectFrom('capture_job').select('id').execute()).length >= 2, 'the events were sent again')
})
