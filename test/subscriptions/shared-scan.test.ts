/**
 * Streams at rest are matched by one scan of the new events for all of them: each subscription still gets
 * exactly its own events, once, in order, whatever its position and however many windows the scan takes.
 */
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { namedQueryOwnFilters } from '../../src/subscriptions/event-source.js'
import { currentWatermark, scanNewEvents, sortedIndexes } from '../../src/subscriptions/repository.js'
import { createNamedQuery, FAST, subscribe } from './helpers.js'
import { sleep, startReceiver, waitFor, type Receiver } from './receiver.js'

const eventId = (n: number) => `urn:uuid:5ca70000-0000-4000-8000-${String(n).padStart(12, '0')}`
const ids = (events: Array<Record<string, unknown>>) => events.map((e) => e.eventID as string)

t.test('scanNewEvents reads each event once and names the readers that take it', async (t) => {
  const app = await build(t, { ...FAST, SUBSCRIPTION_CONCURRENCY: 0 })
  const start = { xid: await currentWatermark(app.db), pk: 0 }
  const events = [1, 2, 3, 4].map((n) => objectEvent({ eventID: eventId(n), bizStep: n % 2 === 0 ? 'receiving' : 'shipping' }))
  await captureAndWait(app, epcisDocument(events))
  await createNamedQuery(app, 'scan-receiving', { EQ_bizStep: ['receiving'] })
  await createNamedQuery(app, 'scan-all', {})
  const receiving = await namedQueryOwnFilters(app.db, 'scan-receiving')
  const all = await namedQueryOwnFilters(app.db, 'scan-all')
  const past = new Date('2000-01-01T00:00:00Z')

  const first = await scanNewEvents(app.db, start, 10, [
    { after: start, minRecordTime: past, filters: receiving },
    { after: start, minRecordTime: past, filters: all },
  ])
  t.same(first.map((r) => r.readers), [[1], [0, 1], [1], [0, 1]], 'every event once, with the readers it matches')
  t.same(first.map((r) => r.event_id), ids(events))

  const second = { xid: first[1]!.xid, pk: Number(first[1]!.id) }
  const window = await scanNewEvents(app.db, start, 3, [
    { after: start, minRecordTime: past, filters: receiving },
    { after: second, minRecordTime: past, filters: all },
    { after: start, minRecordTime: new Date(Date.now() + 60_000), filters: all },
  ])
  t.equal(window.length, 3, 'at most the limit')
  t.same(window.map((r) => r.readers), [[], [0], [1]], 'a reader takes only events past its own position and record time')
  t.equal(window[0]!.event_id, null, 'an event nobody takes comes back without its eventID, to tell how far the scan went')
  t.equal(window[2]!.event_id, eventId(3))

  const later = await scanNewEvents(app.db, { xid: window[2]!.xid, pk: Number(window[2]!.id) }, 3, [{ after: start, minRecordTime: past, filters: all }])
  t.same(later.map((r) => r.event_id), [eventId(4)], 'the next window goes on where the last ended')

  // Readers grouped by a filter they share (the same bizStep): only the groups an event passes name their readers.
  const grouped = await scanNewEvents(app.db, start, 10, [
    { after: start, minRecordTime: past, filters: receiving },
    { after: start, minRecordTime: past, filters: all },
    { after: second, minRecordTime: past, filters: receiving },
    { after: start, minRecordTime: new Date(Date.now() + 60_000), filters: receiving },
    { after: start, minRecordTime: past, filters: all },
  ])
  t.same(grouped.map((r) => r.readers), [[1, 4], [0, 1, 4], [1, 4], [0, 1, 2, 4]], 'each reader of a group still takes only what is past its position and record time')
})

t.test('stream subscriptions at different positions share scans and each gets exactly its events', async (t) => {
  const app = await build(t, FAST)
  const receivers: Receiver[] = []
  t.teardown(async () => {
    for (const r of receivers) await r.close().catch(() => undefined)
  })
  // More history than one scan window (2,000 events): a reader with nothing in the first window reads on in the next.
  const history = Array.from({ length: 2100 }, (_, i) =>
    objectEvent({ eventID: eventId(100 + i), readPoint: { id: 'urn:example:nguon:rp:scan' }, bizStep: i === 2050 ? 'receiving' : 'shipping' }),
  )
  for (let i = 0; i < history.length; i += 700) await captureAndWait(app, epcisDocument(history.slice(i, i + 700)))

  async function subscriber(name: string, query: Record<string, unknown>, options: Record<string, unknown>) {
    const receiver = await startReceiver()
    receivers.push(receiver)
    await createNamedQuery(app, name, { EQ_readPoint: ['urn:example:nguon:rp:scan'], ...query })
    await subscribe(app, name, { dest: receiver.url, stream: true, ...options })
    return receiver
  }
  const past = { initialRecordTime: '2000-01-01T00:00:00Z' }
  const everything = await subscriber('scan-history', {}, past)
  const rare = await subscriber('scan-rare', { EQ_bizStep: ['receiving'] }, past)
  const fresh = await subscriber('scan-new', {}, {})
  const freshReceiving = await subscriber('scan-new-receiving', { EQ_bizStep: ['receiving'] }, {})

  const later = [0, 1, 2].map((n) =>
    objectEvent({ eventID: eventId(5000 + n), readPoint: { id: 'urn:example:nguon:rp:scan' }, bizStep: n === 1 ? 'receiving' : 'shipping' }),
  )
  await captureAndWait(app, epcisDocument(later))

  await waitFor(() => everything.takenEventIds().length >= 2103, 90_000, 'the history and the new events')
  await waitFor(() => rare.takenEventIds().length >= 2 && fresh.takenEventIds().length >= 3 && freshReceiving.takenEventIds().length >= 1, 60_000, 'every subscriber')
  await sleep(300)
  t.same(everything.takenEventIds(), [...ids(history), ...ids(later)], 'all of it, once, in order')
  t.ok(everything.taken().every((d) => d.json.epcisBody.queryResults.resultsBody.eventList.length <= 500), 'in batches of at most SUBSCRIPTION_BATCH_SIZE')
  t.same(rare.takenEventIds(), [eventId(2150), eventId(5001)], 'the one matching event of the history, then the new one')
  t.same(fresh.takenEventIds(), ids(later), 'only what came after it began')
  t.same(freshReceiving.takenEventIds(), [eventId(5001)])
})

t.test('streams delivering when new events commit take them from the scans made meanwhile: once, in order, without waiting for the poll', async (t) => {
  // A poll of ten minutes: anything found while a stream delivered and then left waiting would miss the deadline below.
  const app = await build(t, { ...FAST, SUBSCRIPTION_POLL_MS: 600_000 })
  const receivers: Receiver[] = []
  t.teardown(async () => {
    for (const r of receivers) await r.close().catch(() => undefined)
  })
  const readPoint = 'urn:example:nguon:rp:flight'
  async function slowSubscriber(name: string, query: Record<string, unknown>) {
    const receiver = await startReceiver()
    receiver.answer = () => ({ status: 204, delayMs: 250 })
    receivers.push(receiver)
    await createNamedQuery(app, name, { EQ_readPoint: [readPoint], ...query })
    await subscribe(app, name, { dest: receiver.url, stream: true })
    return receiver
  }
  const all = await slowSubscriber('flight-all', {})
  const receiving = await slowSubscriber('flight-receiving', { EQ_bizStep: ['receiving'] })
  const batches = [0, 1, 2, 3].map((b) =>
    Array.from({ length: 12 }, (_, i) => objectEvent({ eventID: eventId(9000 + b * 100 + i), readPoint: { id: readPoint }, bizStep: i % 3 === 0 ? 'receiving' : 'shipping' })),
  )
  await captureAndWait(app, epcisDocument(batches[0]!))
  await waitFor(() => all.deliveries.length >= 1 && receiving.deliveries.length >= 1, 10_000, 'the first deliveries under way')
  for (const batch of batches.slice(1)) await captureAndWait(app, epcisDocument(batch))
  const events = batches.flat()
  const matching = events.filter((e) => e.bizStep === 'receiving')
  await waitFor(() => all.takenEventIds().length >= events.length && receiving.takenEventIds().length >= matching.length, 15_000, 'every event')
  await sleep(600)
  t.same(all.takenEventIds(), ids(events), 'all of them, once, in order')
  t.same(receiving.takenEventIds(), ids(matching), 'its own, once, in order')
  t.ok(all.taken().length < batches.length * 2, 'events that came during a delivery go out together after it')
})

t.test('the readers of a row are read from the array text, in ascending order', async (t) => {
  t.same(sortedIndexes('{}'), [])
  t.same(sortedIndexes('{7}'), [7])
  t.same(sortedIndexes('{12,3,0,104,3}'), [0, 3, 3, 12, 104])
})

t.test('streams landing while a scan reads on for them, after an earlier scan read for them in flight, take each event once', async (t) => {
  // Receivers that answer after 0 to 30 ms and captures one after another: scans keep reading for streams in flight,
  // and streams keep landing while a scan runs. What earlier scans found for a flight follows it when it lands; a scan
  // running then adds only what it found itself.
  const app = await build(t, { ...FAST, SUBSCRIPTION_POLL_MS: 600_000 })
  const receivers: Receiver[] = []
  t.teardown(async () => {
    for (const r of receivers) await r.close().catch(() => undefined)
  })
  const readPoint = 'urn:example:nguon:rp:landing'
  const steps = ['receiving', 'shipping', 'storing']
  const subscribers: Array<{ receiver: Receiver; step: string | undefined }> = []
  for (let i = 0; i < 12; i++) {
    const receiver = await startReceiver()
    receiver.answer = () => ({ status: 204, delayMs: Math.floor(Math.random() * 30) })
    receivers.push(receiver)
    const step = i % 4 === 3 ? undefined : steps[i % 4]
    await createNamedQuery(app, `landing-${i}`, { EQ_readPoint: [readPoint], ...(step ? { EQ_bizStep: [step] } : {}) })
    await subscribe(app, `landing-${i}`, { dest: receiver.url, stream: true })
    subscribers.push({ receiver, step })
  }
  const documents = Array.from({ length: 40 }, (_, d) =>
    Array.from({ length: 8 }, (_, i) => objectEvent({ eventID: eventId(20_000 + d * 10 + i), readPoint: { id: readPoint }, bizStep: steps[(d + i) % 3] })),
  )
  await Promise.all([0, 1].map(async (lane) => {
    for (let d = lane; d < documents.length; d += 2) await captureAndWait(app, epcisDocument(documents[d]!))
  }))
  const events = documents.flat()
  const expected = (step: string | undefined) => events.filter((e) => step === undefined || e.bizStep === step)
  await waitFor(() => subscribers.every(({ receiver, step }) => receiver.takenEventIds().length >= expected(step).length), 30_000, 'every event')
  await sleep(500)
  for (const [i, { receiver, step }] of subscribers.entries()) {
    const taken = receiver.takenEventIds()
    t.equal(taken.length, new Set(taken).size, `subscriber ${i}: no event twice`)
    t.same(new Set(taken), new Set(ids(expected(step))), `subscriber ${i}: every event of its own`)
  }
})
