/** Push: events captured here reach a peer repository's /capture, with their eventIDs, master data and provenance. */
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY } from '../helper.js'
import { createPeer, FEDERATION, listen, peerOf, storedEventIds, until } from './peer-helpers.js'

t.test('events captured at the sender are stored at the peer, once, with their eventIDs and master data', async (t) => {
  const { app: receiver } = await buildWithDatabase(t, FEDERATION)
  const receiverUrl = await listen(receiver)
  const { app: sender } = await buildWithDatabase(t, FEDERATION)
  await createPeer(sender, {
    id: 'province',
    name: 'Province repository',
    baseUrl: receiverUrl,
    direction: 'push',
    credentials: { bearer: TEST_ADMIN_API_KEY },
    query: { EQ_bizStep: ['shipping'] },
  })
  const shipped = [1, 2, 3].map((n) => objectEvent({ eventID: `urn:uuid:5e0d0000-0000-4000-8000-00000000000${n}` }))
  const other = objectEvent({ eventID: 'urn:uuid:5e0d0000-0000-4000-8000-000000000009', bizStep: 'receiving' })
  const header = {
    epcisMasterData: {
      vocabularyList: [
        {
          type: 'urn:epcglobal:epcis:vtype:ReadPoint',
          vocabularyElementList: [{ id: 'urn:epc:id:sgln:8934567.00001.0', attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Trại A' }] }],
        },
      ],
    },
  }
  await captureAndWait(sender, epcisDocument([...shipped, other], [], header))
  const ids = shipped.map((e) => e.eventID as string).sort()
  await until('the events at the peer', async () => (await storedEventIds(receiver)).length >= 3)
  t.same(await storedEventIds(receiver), ids, 'exactly the matching events, with their eventIDs')
  const peer = await until('the delivery counted', async () => {
    const view = await peerOf(sender, 'province')
    return view.state.eventsSent >= 3 ? view : undefined
  })
  t.equal(peer.state.status, 'ok')
  t.equal(peer.state.lagMs, 0, 'nothing waits')
  t.equal(peer.state.lastError, null)
  const names = await receiver.db.selectFrom('vocabulary_element').select(['element_id', 'attributes']).execute()
  t.same(names.map((n) => n.element_id), ['urn:epc:id:sgln:8934567.00001.0'], 'the master data of the place the events name went along')
})

t.test('events forwarded before (their @context names the nguon prefix) and events captured here go out together', async (t) => {
  const { app: receiver } = await buildWithDatabase(t, FEDERATION)
  const receiverUrl = await listen(receiver)
  const { app: sender } = await buildWithDatabase(t, FEDERATION)
  await createPeer(sender, { id: 'n', name: 'N', baseUrl: receiverUrl, direction: 'push', credentials: { bearer: TEST_ADMIN_API_KEY } })
  const forwarded = [1, 2].map((n) => objectEvent({ eventID: `urn:uuid:5e0d1000-0000-4000-8000-00000000000${n}` }))
  const own = [3, 4].map((n) => objectEvent({ eventID: `urn:uuid:5e0d1000-0000-4000-8000-00000000000${n}` }))
  await captureAndWait(sender, epcisDocument(forwarded, [{ nguon: 'https://ns.nguon.vn/epcis/' }]))
  await captureAndWait(sender, epcisDocument(own))
  await until('the events at the peer', async () => (await storedEventIds(receiver)).length === 4)
  t.same(await storedEventIds(receiver), [...forwarded, ...own].map((e) => e.eventID as string).sort())
  t.equal((await peerOf(sender, 'n')).state.lastError, null)
})

t.test('an event goes out as stored: its assigned eventID, exact numbers, and not the recordTime it was captured with', async (t) => {
  const { app: receiver } = await buildWithDatabase(t, FEDERATION)
  const receiverUrl = await listen(receiver)
  const { app: sender } = await buildWithDatabase(t, FEDERATION)
  await createPeer(sender, { id: 'exact', name: 'Exact', baseUrl: receiverUrl, direction: 'push', credentials: { bearer: TEST_ADMIN_API_KEY } })
  const { eventID: _none, ...withoutId } = objectEvent({
    recordTime: '2020-01-01T00:00:00.000Z',
    quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 1.5, uom: 'KGM' }],
    'example:weight': 7,
  })
  // Written by hand so that the numbers keep digits a double would lose or drop.
  const text = JSON.stringify(epcisDocument([withoutId], [{ example: 'https://example.org/epcis/' }]))
    .replace('"quantity":1.5', '"quantity":1.50')
    .replace('"example:weight":7', '"example:weight":12345678901234567890.5')
  const accepted = await sender.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/json' }, payload: text })
  t.equal(accepted.statusCode, 202)
  await until('the event stored here', async () => (await storedEventIds(sender)).length === 1)
  const [eventId] = await storedEventIds(sender)
  await until('the event at the peer', async () => (await storedEventIds(receiver)).length === 1)
  t.same(await storedEventIds(receiver), [eventId], 'the eventID assigned here')
  // The pages' event lists as text, without the recordTime each repository gives.
  const eventText = async (app: typeof sender) => {
    const page = (await app.inject({ method: 'GET', url: '/events', headers: { 'GS1-EPC-Format': 'Never_Translates' } })).payload
    return page.slice(page.indexOf('"eventList"'), -3).replace(/,"recordTime":"[^"]*"/, '')
  }
  const atPeer = await eventText(receiver)
  t.same(JSON.parse(`{${atPeer}`), JSON.parse(`{${await eventText(sender)}`), 'the peer answers the event as this repository does')
  t.match(atPeer, /"example:weight":12345678901234567890\.5\b/, 'the extension number with all its digits')
  t.notMatch(atPeer, /2020-01-01T00:00:00/, 'the recordTime given at capture here stays here')
})
