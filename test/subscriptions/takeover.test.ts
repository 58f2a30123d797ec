/** A delivering instance killed with SIGKILL mid-delivery: another instance takes over when its lease expires. */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildTestApp, buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY, testConfig } from '../helper.js'
import { createNamedQuery, FAST, subscribe } from './helpers.js'
import { startReceiver, waitFor } from './receiver.js'

t.test('an instance killed mid-delivery is taken over; the events in flight are delivered again', async (t) => {
  // This instance captures but delivers nothing (SUBSCRIPTION_CONCURRENCY 0) until the other one is killed.
  const { app, databaseUrl } = await buildWithDatabase(t, { ...FAST, SUBSCRIPTION_CONCURRENCY: 0 })
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  receiver.answer = (_d, index) => (index === 0 ? 'hang' : 200)
  await createNamedQuery(app, 'killed', { EQ_bizStep: ['shipping'] })
  const created = await subscribe(app, 'killed', { dest: receiver.url, stream: true })

  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/subscriptions/instance-child.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NGUON_TEST_DATABASE_URL: databaseUrl,
      NGUON_TEST_CONFIG: JSON.stringify({
        ...FAST,
        ADMIN_API_KEY: TEST_ADMIN_API_KEY,
        CAPTURE_WORKER_CONCURRENCY: 0,
        MIGRATE_ON_START: false,
        SUBSCRIPTION_TIMEOUT_MS: 2500,
        SUBSCRIPTION_LEASE_MS: 3000,
      }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await waitFor(() => output.includes('READY'), 60_000, 'the child instance')

  const events = [1, 2, 3].map((n) => objectEvent({ eventID: `urn:uuid:0c111ed0-0000-4000-8000-00000000000${n}` }))
  await captureAndWait(app, epcisDocument(events))
  await waitFor(() => receiver.deliveries.length >= 1, 15_000, 'the child delivering')
  const holder = await app.db.selectFrom('subscription').select(['lease_owner']).where('id', '=', created.subscriptionID).executeTakeFirstOrThrow()
  t.match(holder.lease_owner, new RegExp(`:${child.pid}:`), 'the child instance holds the lease')
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  t.equal(child.signalCode, 'SIGKILL')

  const other = await buildTestApp({ config: { ...testConfig({ ...FAST }), DATABASE_URL: databaseUrl } })
  await other.ready()
  t.teardown(() => other.close())
  await waitFor(() => receiver.takenEventIds().length >= 3, 15_000, 'the other instance delivering')
  const ids = events.map((e) => e.eventID)
  t.same(receiver.takenEventIds(), ids, 'every event, once taken')
  t.same(receiver.deliveries[0]!.json.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID), ids, 'the delivery cut off is the one repeated')
  t.equal(receiver.deliveries.length, 2, 'no other repeat')
})
