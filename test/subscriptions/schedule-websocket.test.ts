/** Scheduled webhook deliveries (reportIfEmpty) and WebSocket subscriptions across two instances. */
import t from 'tap'
import WebSocket from 'ws'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildTestApp, buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY, testConfig } from '../helper.js'
import { bearer, buildWorld } from '../security/fixtures.js'
import { createNamedQuery, FAST, subscribe } from './helpers.js'
import { sleep, startReceiver, waitFor } from './receiver.js'

type Doc = { epcisBody: { queryResults: { queryName: string; subscriptionID: string; resultsBody: { eventList: Array<{ eventID: string }> } } } }

t.test('subscriptions', async (t) => {
  const { app, databaseUrl } = await buildWithDatabase(t, FAST)

  t.test('a scheduled subscription delivers at its times, with reportIfEmpty', async (t) => {
    const receiver = await startReceiver()
    t.teardown(() => receiver.close())
    await createNamedQuery(app, 'scheduled', { EQ_readPoint: ['urn:example:nguon:rp:scheduled'] })
    const every2s = { second: '0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,56,58' }
    const created = await subscribe(app, 'scheduled', { dest: receiver.url, schedule: every2s, reportIfEmpty: true })
    await waitFor(() => receiver.taken().length >= 1, 15_000, 'an empty report')
    const first = receiver.taken()[0]!
    t.same(first.json.epcisBody.queryResults.resultsBody.eventList, [], 'reportIfEmpty: an empty report')
    const event = objectEvent({ eventID: 'urn:uuid:5c4ed000-0000-4000-8000-000000000001', readPoint: { id: 'urn:example:nguon:rp:scheduled' } })
    await captureAndWait(app, epcisDocument([event]))
    const capturedAt = Date.now()
    await waitFor(() => receiver.takenEventIds().length >= 1, 15_000, 'the event at the next time')
    const delivered = receiver.taken().find((d) => d.json.epcisBody.queryResults.resultsBody.eventList.length > 0)!
    t.same(delivered.json.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID), [event.eventID])
    t.ok(Date.now() - capturedAt < 10_000, `at a scheduled time soon after (${Date.now() - capturedAt} ms), not a minute later`)
    const view = (await app.inject({ method: 'GET', url: `/queries/scheduled/subscriptions/${created.subscriptionID}` })).json()
    t.same(view.schedule, every2s)
    await app.inject({ method: 'DELETE', url: `/queries/scheduled/subscriptions/${created.subscriptionID}` })

    const quiet = await startReceiver()
    t.teardown(() => quiet.close())
    await subscribe(app, 'scheduled', { dest: quiet.url, schedule: every2s })
    await sleep(2500)
    t.equal(quiet.deliveries.length, 0, 'without reportIfEmpty, no empty report')
  })

  t.test('WebSocket: events captured through instance A reach a client on instance B', async (t) => {
    const other = await buildTestApp({ config: { ...testConfig({ ...FAST, CAPTURE_WORKER_CONCURRENCY: 0 }), DATABASE_URL: databaseUrl } })
    await other.ready()
    const base = await other.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(() => other.close())
    await createNamedQuery(app, 'ws-shipping', { EQ_bizStep: ['shipping'], EQ_readPoint: ['urn:example:nguon:rp:ws'] })
    const wsUrl = `${base.replace('http', 'ws')}/queries/ws-shipping/events?stream=true`

    const socket = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${TEST_ADMIN_API_KEY}` } })
    const messages: Doc[] = []
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Doc))
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    t.teardown(() => socket.close())
    const events = [1, 2, 3].map((n) =>
      objectEvent({ eventID: `urn:uuid:0e5c0000-0000-4000-8000-00000000000${n}`, readPoint: { id: 'urn:example:nguon:rp:ws' }, bizStep: n === 2 ? 'receiving' : 'shipping' }),
    )
    await captureAndWait(app, epcisDocument(events))
    await waitFor(() => messages.flatMap((m) => m.epcisBody.queryResults.resultsBody.eventList).length >= 2, 10_000, 'the events on B')
    await sleep(300)
    t.same(messages.flatMap((m) => m.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID)), [events[0]!.eventID, events[2]!.eventID])
    t.equal(messages[0]!.epcisBody.queryResults.queryName, 'ws-shipping')

    // Refusals: no credentials, bad controls (an HTTP 400 before the upgrade), an unknown query.
    const refused = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers })
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('open', () => {
          ws.close()
          resolve(101)
        })
        ws.on('error', () => undefined)
      })
    const auth = { authorization: `Bearer ${TEST_ADMIN_API_KEY}` }
    t.equal(await refused(wsUrl), 401, 'no credentials: 401')
    t.equal(await refused(wsUrl.replace('stream=true', 'hour=25'), auth), 400, 'a bad schedule: 400')
    t.equal(await refused(wsUrl.replace('stream=true', 'stream=true&hour=1'), auth), 400, 'both: 400')
    t.equal(await refused(wsUrl.replace('stream=true', ''), auth), 400, 'neither: 400')
    t.equal(await refused(wsUrl.replace('ws-shipping', 'nope'), auth), 404, 'unknown query: 404')
  })

  t.test('WebSocket from a browser: a single-use ticket, with the visibility of whoever asked for it', async (t) => {
    const world = await buildWorld(app)
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    await createNamedQuery(app, 'ws-all', { EQ_action: ['OBSERVE'] })
    const ticketFor = async (key: string) => (await app.inject({ method: 'POST', url: '/websocket-tickets', headers: bearer(key) })).json().ticket as string
    const gammaTicket = await ticketFor(world.keys.gamma)
    const url = (ticket: string) => `${base.replace('http', 'ws')}/queries/ws-all/events?stream=true&initialRecordTime=2000-01-01T00:00:00Z&ticket=${ticket}`
    const open = (ticket: string) =>
      new Promise<{ socket?: WebSocket; status: number; messages: Doc[] }>((resolve) => {
        const messages: Doc[] = []
        const socket = new WebSocket(url(ticket))
        socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Doc))
        socket.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, messages }))
        socket.on('open', () => resolve({ socket, status: 101, messages }))
        socket.on('error', () => undefined)
      })
    const gamma = await open(gammaTicket)
    t.equal(gamma.status, 101, 'the ticket opens a socket')
    t.teardown(() => gamma.socket?.close())
    const again = await open(gammaTicket)
    t.equal(again.status, 401, 'a ticket is good once')
    t.equal((await open('made-up')).status, 401, 'an unknown ticket is refused')
    const beta = await open(await ticketFor(world.keys.beta))
    t.teardown(() => beta.socket?.close())
    await waitFor(() => beta.messages.length >= 1, 10_000, "beta's history")
    await sleep(500)
    const betaIds = beta.messages.flatMap((m) => m.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID))
    t.ok(betaIds.includes(world.events.betaPrivate) && betaIds.includes(world.events.alphaToBeta), 'beta sees its events')
    t.notOk(betaIds.includes(world.events.alphaPrivate), "beta never sees alpha's private event")
    t.same(gamma.messages.flatMap((m) => m.epcisBody.queryResults.resultsBody.eventList), [], 'gamma sees nothing')
  })
})
