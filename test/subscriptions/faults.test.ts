/** Fault injection against real HTTP receivers on loopback: no event is lost, repeats only where a delivery was cut off. */
import pg from 'pg'
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildTestApp, buildWithDatabase, captureAndWait, testConfig } from '../helper.js'
import { createNamedQuery, FAST, subscribe } from './helpers.js'
import { sleep, startReceiver, waitFor, type Receiver } from './receiver.js'

let serial = 0
const eventId = (test: number, n: number) => `urn:uuid:fa017000-0000-4000-8000-${String(test * 1000 + n).padStart(12, '0')}`

/** Events with a read point of their own, so that each test's named query matches only its events. */
function eventsFor(test: number, count: number) {
  return Array.from({ length: count }, () => {
    serial++
    return objectEvent({ eventID: eventId(test, serial), readPoint: { id: `urn:example:nguon:rp:${test}` } })
  })
}

const ids = (events: Array<Record<string, unknown>>) => events.map((e) => e.eventID as string)
const unique = (list: string[]) => [...new Set(list)]

t.test('faults', async (t) => {
  const { app, databaseUrl } = await buildWithDatabase(t, { ...FAST, SUBSCRIPTION_FAILING_AFTER_MS: 300 })
  const receivers: Receiver[] = []
  t.teardown(async () => {
    for (const r of receivers) await r.close().catch(() => undefined)
  })
  async function setUp(test: number, options: Record<string, unknown> = {}) {
    const receiver = await startReceiver()
    receivers.push(receiver)
    await createNamedQuery(app, `faults-${test}`, { EQ_readPoint: [`urn:example:nguon:rp:${test}`] })
    const created = await subscribe(app, `faults-${test}`, { dest: receiver.url, stream: true, ...options })
    return { receiver, created }
  }

  t.test('the receiver answers 500 for a while, then 200: the same events again, then taken once', async (t) => {
    const { receiver, created } = await setUp(1)
    receiver.answer = (_d, index) => (index < 3 ? 500 : 200)
    const events = eventsFor(1, 5)
    await captureAndWait(app, epcisDocument(events))
    await waitFor(() => receiver.takenEventIds().length >= 5, 15_000, 'the events taken')
    t.same(receiver.takenEventIds(), ids(events), 'every event taken once, in record order')
    t.ok(receiver.deliveries.length >= 4, 'refused deliveries were retried')
    for (const refused of receiver.deliveries.slice(0, 3)) {
      t.same(refused.json.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID), ids(events), 'the same events again')
    }
    const url = `/queries/faults-1/subscriptions/${created.subscriptionID}`
    await waitFor(async () => (await app.inject({ method: 'GET', url })).json().lastNotifiedAt !== undefined, 15_000, 'lastNotifiedAt')
    const got = (await app.inject({ method: 'GET', url })).json()
    t.equal(got.status, 'active')
    t.notOk(got.lastError, 'the error is cleared once delivered')
  })

  t.test('the receiver times out: delivered again after the timeout', async (t) => {
    const { receiver } = await setUp(2)
    receiver.answer = (_d, index) => (index === 0 ? 'hang' : 200)
    const events = eventsFor(2, 3)
    await captureAndWait(app, epcisDocument(events))
    await waitFor(() => receiver.takenEventIds().length >= 3, 15_000, 'the events taken')
    t.same(receiver.takenEventIds(), ids(events))
    t.same(receiver.deliveries[0]!.json.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID), ids(events), 'the cut-off delivery is the one repeated')
  })

  t.test('the receiver answers 413: smaller batches until they fit', async (t) => {
    const { receiver } = await setUp(3)
    receiver.answer = (d) => (d.json.epcisBody.queryResults.resultsBody.eventList.length > 2 ? 413 : 200)
    const events = eventsFor(3, 7)
    await captureAndWait(app, epcisDocument(events))
    await waitFor(() => receiver.takenEventIds().length >= 7, 15_000, 'the events taken')
    t.same(receiver.takenEventIds(), ids(events), 'every event once, in order')
    t.ok(receiver.taken().every((d) => d.json.epcisBody.queryResults.resultsBody.eventList.length <= 2))
  })

  t.test('the receiver goes away and comes back: marked failing meanwhile, nothing lost', async (t) => {
    const { receiver, created } = await setUp(4)
    await receiver.stop()
    const events = eventsFor(4, 4)
    await captureAndWait(app, epcisDocument(events.slice(0, 2)))
    await captureAndWait(app, epcisDocument(events.slice(2)))
    const url = `/queries/faults-4/subscriptions/${created.subscriptionID}`
    await waitFor(async () => (await app.inject({ method: 'GET', url })).json().status === 'failing', 10_000, 'failing')
    const failing = (await app.inject({ method: 'GET', url })).json()
    t.match(failing.lastError, /ECONNREFUSED|connect/i, 'the last error is shown')
    t.notOk(failing.lastNotifiedAt)
    await receiver.restart()
    await waitFor(() => receiver.takenEventIds().length >= 4, 15_000, 'the events taken')
    t.same(receiver.takenEventIds(), ids(events))
    await waitFor(async () => (await app.inject({ method: 'GET', url })).json().status === 'active', 15_000, 'active again')
  })

  t.test('two captures commit in the opposite order to their record times: both delivered', async (t) => {
    const { receiver } = await setUp(5)
    const first = new pg.Client({ connectionString: databaseUrl })
    const second = new pg.Client({ connectionString: databaseUrl })
    await first.connect()
    await second.connect()
    t.teardown(async () => {
      await first.end()
      await second.end()
    })
    const insert = (client: pg.Client, id: string) =>
      client.query(
        `INSERT INTO event (event_id, event_type, event_time, event_time_zone_offset, read_point, body)
         VALUES ($1, 'ObjectEvent', now(), '+00:00', 'urn:example:nguon:rp:5', $2)`,
        [id, JSON.stringify({ type: 'ObjectEvent', eventID: id, action: 'OBSERVE', eventTime: '2024-05-01T00:00:00Z', eventTimeZoneOffset: '+00:00' })],
      )
    await first.query('BEGIN')
    await insert(first, eventId(5, 1))
    await sleep(20)
    await second.query('BEGIN')
    await insert(second, eventId(5, 2))
    await second.query('COMMIT')
    await sleep(800)
    await first.query('COMMIT')
    await waitFor(() => receiver.takenEventIds().length >= 2, 10_000, 'both events')
    await sleep(300)
    t.same(unique(receiver.takenEventIds()).sort(), [eventId(5, 1), eventId(5, 2)], 'the late-committing event is not skipped')
    t.same(receiver.takenEventIds(), [eventId(5, 1), eventId(5, 2)], 'each once, the earlier-recorded first')
  })

  t.test('two instances at once: each event goes out once', async (t) => {
    const { receiver } = await setUp(6)
    const other = await buildTestApp({ config: { ...testConfig({ ...FAST }), DATABASE_URL: databaseUrl } })
    await other.ready()
    t.teardown(() => other.close())
    receiver.answer = () => ({ status: 200, delayMs: 5 })
    const events = eventsFor(6, 40)
    await Promise.all([0, 1, 2, 3].map((i) => captureAndWait(i % 2 ? app : other, epcisDocument(events.slice(i * 10, i * 10 + 10)))))
    await waitFor(() => receiver.takenEventIds().length >= 40, 15_000, 'forty events')
    await sleep(500)
    t.equal(receiver.takenEventIds().length, 40, 'no event twice')
    t.same(unique(receiver.takenEventIds()).sort(), ids(events).sort(), 'every event')
  })

  t.test('initialRecordTime in the past delivers the matching history first', async (t) => {
    const events = eventsFor(7, 3)
    await captureAndWait(app, epcisDocument(events))
    const receiver = await startReceiver()
    receivers.push(receiver)
    await createNamedQuery(app, 'faults-7', { EQ_readPoint: ['urn:example:nguon:rp:7'] })
    await subscribe(app, 'faults-7', { dest: receiver.url, stream: true, initialRecordTime: '2000-01-01T00:00:00Z' })
    const later = eventsFor(7, 1)
    await captureAndWait(app, epcisDocument(later))
    await waitFor(() => receiver.takenEventIds().length >= 4, 10_000, 'history and the new event')
    t.same(receiver.takenEventIds(), [...ids(events), ...ids(later)])
  })
})
