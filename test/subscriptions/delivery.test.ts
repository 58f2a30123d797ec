import { sql } from 'kysely'
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { build, buildTestApp, buildWithDatabase, captureAndWait, testConfig } from '../helper.js'
import { createNamedQuery, FAST, subscribe } from './helpers.js'
import { startReceiver, verifySignature, waitFor } from './receiver.js'

const id = (n: number) => `urn:uuid:5abcd000-0000-4000-8000-${String(n).padStart(12, '0')}`

t.test('a stream subscription delivers every matching event of a capture, signed, in record order, and nothing else', async (t) => {
  const app = await build(t, FAST)
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  await createNamedQuery(app, 'shipping', { EQ_bizStep: ['shipping'] })
  const created = await subscribe(app, 'shipping', { dest: receiver.url, signatureToken: 's3cret', stream: true })
  t.equal(created.stream, true)
  t.notOk('signatureToken' in created, 'the token is never answered')

  const events = [1, 2, 3, 4, 5].map((n) => objectEvent({ eventID: id(n), bizStep: n === 3 ? 'receiving' : 'shipping' }))
  await captureAndWait(app, epcisDocument(events))
  await waitFor(() => receiver.takenEventIds().length >= 4, 10_000, 'four events')
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.same(receiver.takenEventIds(), [id(1), id(2), id(4), id(5)], 'the matching events, once, in record order')
  for (const delivery of receiver.deliveries) {
    t.ok(verifySignature(delivery.headers['gs1-signature'] as string, delivery.body, 's3cret'), 'signed')
    t.notOk(verifySignature(delivery.headers['gs1-signature'] as string, delivery.body, 'other'), 'not with another token')
    t.equal(delivery.json.epcisBody.queryResults.subscriptionID, created.subscriptionID)
    t.equal(delivery.json.epcisBody.queryResults.queryName, 'shipping')
  }

  const got = await app.inject({ method: 'GET', url: `/queries/shipping/subscriptions/${created.subscriptionID}` })
  t.equal(got.statusCode, 200)
  t.ok(got.json().lastNotifiedAt, 'lastNotifiedAt is set')
  t.notOk(got.body.includes('s3cret'), 'the token is never answered')
  const list = await app.inject({ method: 'GET', url: '/queries/shipping/subscriptions' })
  t.equal(list.json().length, 1)
  t.notOk(list.body.includes('s3cret'))

  const deleted = await app.inject({ method: 'DELETE', url: `/queries/shipping/subscriptions/${created.subscriptionID}` })
  t.equal(deleted.statusCode, 204)
  await captureAndWait(app, epcisDocument([objectEvent({ eventID: id(9) })]))
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.notOk(receiver.takenEventIds().includes(id(9)), 'nothing after unsubscribing')
})

t.test('the listening connection is lost (database restart): it connects again and deliveries stay prompt', async (t) => {
  // A poll far away: only notifications can deliver within the test's time.
  const app = await build(t, { ...FAST, SUBSCRIPTION_POLL_MS: 600_000 })
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  await createNamedQuery(app, 'relisten', { EQ_bizStep: ['shipping'] })
  await subscribe(app, 'relisten', { dest: receiver.url, stream: true })
  const terminated = await sql<{ n: number }>`
    SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
    WHERE application_name = 'nguon-subscriptions-listener' AND datname = current_database()`.execute(app.db)
  t.equal(terminated.rows[0]!.n, 1, 'the listener connection was cut')
  await new Promise((resolve) => setTimeout(resolve, 1500))
  await captureAndWait(app, epcisDocument([objectEvent({ eventID: id(20) })]))
  await waitFor(() => receiver.takenEventIds().includes(id(20)), 15_000, 'a prompt delivery after reconnecting (the poll is 10 minutes away)')
  t.pass('delivered')
})

t.test('an instance that knew of no subscription delivers for one another instance made at the next commit, without waiting for its poll', async (t) => {
  const { app, databaseUrl } = await buildWithDatabase(t, { ...FAST, SUBSCRIPTION_POLL_MS: 600_000 })
  // Its engine has looked and found no subscription.
  await captureAndWait(app, epcisDocument([objectEvent({ eventID: id(900), bizStep: 'shipping' })]))
  const other = await buildTestApp({ config: { ...testConfig({ ...FAST, SUBSCRIPTION_CONCURRENCY: 0 }), DATABASE_URL: databaseUrl } })
  t.teardown(() => other.close())
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  await createNamedQuery(other, 'elsewhere', { EQ_bizStep: ['shipping'] })
  await subscribe(other, 'elsewhere', { dest: receiver.url, stream: true })

  await captureAndWait(app, epcisDocument([objectEvent({ eventID: id(901), bizStep: 'shipping' })]))
  await waitFor(() => receiver.takenEventIds().length >= 1, 10_000, 'the event, delivered by the first instance')
  t.same(receiver.takenEventIds(), [id(901)])
})
