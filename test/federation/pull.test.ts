/** Pull: a peer's GET /events is paged on schedule and its events stored here, once, whatever order they committed in there. */
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY } from '../helper.js'
import { startEventsServer } from './events-server.js'
import { createPeer, FEDERATION, listen, peerOf, storedEventIds, until } from './peer-helpers.js'

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, second)).toISOString()
const id = (n: number) => `urn:uuid:9011ed00-0000-4000-8000-${String(n).padStart(12, '0')}`

t.test("a peer's events are pulled page by page; one that committed late behind the cursor is caught by the overlap", async (t) => {
  const source = await startEventsServer('source-token')
  t.teardown(() => source.close())
  source.events.push(...[1, 2, 3, 4, 5].map((n) => ({ ...objectEvent({ eventID: id(n) }), recordTime: at(n * 10) })))
  // Pages of two events (perPage follows CAPTURE_LIMIT), a pull every second, an overlap of 30 s.
  const { app } = await buildWithDatabase(t, { ...FEDERATION, CAPTURE_LIMIT: 2, FEDERATION_PULL_OVERLAP_MS: 30_000 })
  await createPeer(app, {
    id: 'source',
    name: 'Source',
    baseUrl: source.url,
    direction: 'pull',
    credentials: { bearer: 'source-token' },
    initialRecordTime: at(0),
    pullIntervalSeconds: 1,
  })
  await until('the first pull', async () => (await storedEventIds(app)).length === 5)
  t.same(await storedEventIds(app), [1, 2, 3, 4, 5].map(id), 'every event, with its eventID')
  t.ok(source.requests.some((r) => r.includes('nextPageToken=')), "the peer's Link next-page tokens were followed")
  t.ok(source.requests.every((r) => r.includes('orderBy=recordTime') && r.includes('GE_recordTime=')))
  // The page's events commit before the cursor moves past them.
  const first = await until('the cursor', async () => {
    const view = await peerOf(app, 'source')
    return view.state.eventsReceived === 5 ? view : undefined
  })
  t.equal(first.state.cursor.recordTime, at(50), "the cursor is the newest record time stored (the peer's)")

  // Committed at the peer after the cursor had passed its record time.
  source.events.push({ ...objectEvent({ eventID: id(6) }), recordTime: at(45) })
  source.events.push({ ...objectEvent({ eventID: id(7) }), recordTime: at(60) })
  await until('the late events', async () => (await storedEventIds(app)).length === 7, 15_000)
  const seen = source.requests.length
  await until('one more pull', async () => source.requests.length > seen + 1)
  t.same(await storedEventIds(app), [1, 2, 3, 4, 5, 6, 7].map(id), 'the late one too, and nothing twice')
  const later = await until('the counts', async () => {
    const view = await peerOf(app, 'source')
    return view.state.eventsReceived === 7 ? view : undefined
  })
  t.equal(later.state.status, 'ok')
  t.ok(source.requests.at(-1)!.includes(`GE_recordTime=${encodeURIComponent(at(30))}`), 'each pull starts the overlap before the cursor')
})

t.test('a pull peer that refuses the token is failing with its 401', async (t) => {
  const source = await startEventsServer('source-token')
  t.teardown(() => source.close())
  source.events.push({ ...objectEvent({ eventID: id(11) }), recordTime: at(1) })
  const { app } = await buildWithDatabase(t, FEDERATION)
  await createPeer(app, { id: 's', name: 'S', baseUrl: source.url, direction: 'pull', credentials: { bearer: 'wrong' }, initialRecordTime: at(0) })
  const view = await until('the failure', async () => {
    const peer = await peerOf(app, 's')
    return peer.state.failingSince ? peer : undefined
  })
  t.match(view.state.lastError, /401.*SecurityException/)
  t.same(await storedEventIds(app), [])
})

t.test('pulling from another Nguồn: its GET /events pages as it is', async (t) => {
  const { app: province } = await buildWithDatabase(t, FEDERATION)
  const provinceUrl = await listen(province)
  const events = [1, 2, 3].map((n) => objectEvent({ eventID: id(20 + n) }))
  await captureAndWait(province, epcisDocument(events))
  const { app: nation } = await buildWithDatabase(t, { ...FEDERATION, CAPTURE_LIMIT: 2 })
  await createPeer(nation, {
    id: 'province',
    name: 'Province',
    baseUrl: provinceUrl,
    direction: 'pull',
    credentials: { bearer: TEST_ADMIN_API_KEY },
    query: { EQ_bizStep: ['shipping'] },
    initialRecordTime: '2020-01-01T00:00:00Z',
  })
  await until('the pulled events', async () => (await storedEventIds(nation)).length === 3)
  t.same(await storedEventIds(nation), events.map((e) => e.eventID as string).sort())
})
