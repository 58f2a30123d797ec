/** Issue 18: events a reviewer approves after the push peer's cursor passed them are forwarded, once; rejected ones never. */
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY } from '../helper.js'
import { createKey, post } from '../security/fixtures.js'
import { createPeer, FEDERATION, listen, peerOf, storedEventIds, until } from './peer-helpers.js'

t.test('an approved event goes to the push peer once; a rejected one never', async (t) => {
  const { app: national } = await buildWithDatabase(t, FEDERATION)
  const nationalUrl = await listen(national)
  const { app: province } = await buildWithDatabase(t, FEDERATION)
  await post(province, '/admin/organizations', { id: 'farm', name: 'Trại A', identifiers: ['8934567'] })
  await post(province, '/admin/organizations', { id: 'province', name: 'Sở NN&PTNT', identifiers: [] })
  const patched = await province.inject({ method: 'PATCH', url: '/admin/organizations/farm', payload: { publicationPolicy: 'review' } })
  t.equal(patched.statusCode, 200)
  const farm = (await createKey(province, 'farm', ['capture'])).key
  const reviewer = (await createKey(province, 'province', ['reviewer'])).key
  await createPeer(province, { id: 'national', name: 'National portal', baseUrl: nationalUrl, direction: 'push', credentials: { bearer: TEST_ADMIN_API_KEY } })

  const approved = objectEvent({ eventID: 'urn:uuid:5e0d3000-0000-4000-8000-000000000001' })
  const rejected = objectEvent({ eventID: 'urn:uuid:5e0d3000-0000-4000-8000-000000000002' })
  const published = objectEvent({ eventID: 'urn:uuid:5e0d3000-0000-4000-8000-000000000003' })
  const later = objectEvent({ eventID: 'urn:uuid:5e0d3000-0000-4000-8000-000000000004' })
  const job = await captureAndWait(province, epcisDocument([approved, rejected]), { authorization: `Bearer ${farm}` })
  t.equal(job.storedCount, 2, 'the farm is under review: its events are held')
  await captureAndWait(province, epcisDocument([published]))
  await until('the national portal has the published event', async () => (await storedEventIds(national)).length >= 1)
  t.same(await storedEventIds(national), [published.eventID], 'the held events were not sent; the cursor is past them')

  const decide = (payload: Record<string, unknown>) =>
    province.inject({ method: 'POST', url: '/review/decisions', headers: { authorization: `Bearer ${reviewer}` }, payload })
  const rejection = await decide({ eventIDs: [rejected.eventID], decision: 'reject', comment: 'Thiếu thông tin lô' })
  t.equal(rejection.statusCode, 200, rejection.body)
  const approval = await decide({ eventIDs: [approved.eventID], decision: 'approve' })
  t.equal(approval.statusCode, 200, approval.body)

  // No event is captured meanwhile: the approval alone makes the peer's subscription deliver.
  await until('the national portal has the approved event', async () => (await storedEventIds(national)).length >= 2)
  t.same(await storedEventIds(national), [approved.eventID, published.eventID].sort(), 'the approved event was forwarded')

  // A later turn does not send the approved event again: three events sent in all.
  await captureAndWait(province, epcisDocument([later]))
  await until('the national portal has the later event', async () => (await storedEventIds(national)).length >= 3)
  await until('the province counts the later event', async () => (await peerOf(province, 'national')).state.eventsSent >= 3)
  t.equal((await peerOf(province, 'national')).state.eventsSent, 3, 'the approved event was sent exactly once')
  t.same(await storedEventIds(national), [approved.eventID, published.eventID, later.eventID].sort(), 'the rejected event was never sent')
  const decisionCursor = await province.db.selectFrom('peer').select('decision_cursor').where('id', '=', 'national').executeTakeFirstOrThrow()
  t.ok(Number(decisionCursor.decision_cursor) > 0, 'the decision cursor is kept in the database')
})

t.test('an approved event the peer refuses is sent again until it takes it', async (t) => {
  const { app: national } = await buildWithDatabase(t, FEDERATION)
  const nationalUrl = await listen(national)
  const { app: province } = await buildWithDatabase(t, FEDERATION)
  await post(province, '/admin/organizations', { id: 'farm', name: 'Trại A', identifiers: ['8934567'] })
  await post(province, '/admin/organizations', { id: 'province', name: 'Sở NN&PTNT', identifiers: [] })
  t.equal((await province.inject({ method: 'PATCH', url: '/admin/organizations/farm', payload: { publicationPolicy: 'review' } })).statusCode, 200)
  const farm = (await createKey(province, 'farm', ['capture'])).key
  const reviewer = (await createKey(province, 'province', ['reviewer'])).key
  const peer = { id: 'national', name: 'National portal', baseUrl: nationalUrl, direction: 'push' }
  await createPeer(province, { ...peer, credentials: { bearer: 'ngk_wrong' } })

  const approved = objectEvent({ eventID: 'urn:uuid:5e0d3000-0000-4000-8000-000000000011' })
  await captureAndWait(province, epcisDocument([approved]), { authorization: `Bearer ${farm}` })
  const approval = await province.inject({
    method: 'POST',
    url: '/review/decisions',
    headers: { authorization: `Bearer ${reviewer}` },
    payload: { eventIDs: [approved.eventID], decision: 'approve' },
  })
  t.equal(approval.statusCode, 200, approval.body)
  const failing = await until('the peer refused the approved event', async () => {
    const view = await peerOf(province, 'national')
    return view.state.failingSince ? view : undefined
  })
  t.match(failing.state.lastError, /401/, "the peer's answer is kept")
  const kept = await province.db.selectFrom('peer').select('decision_cursor').where('id', '=', 'national').executeTakeFirstOrThrow()
  t.equal(Number(kept.decision_cursor), 0, 'the decision cursor did not move')
  t.same(await storedEventIds(national), [])

  const fixed = await province.inject({ method: 'PUT', url: '/admin/peers/national', payload: { ...peer, credentials: { bearer: TEST_ADMIN_API_KEY } } })
  t.equal(fixed.statusCode, 200, fixed.body)
  await until('the national portal has the approved event', async () => (await storedEventIds(national)).length >= 1)
  t.same(await storedEventIds(national), [approved.eventID], 'retried until taken')
  await until('the peer is ok again', async () => (await peerOf(province, 'national')).state.status === 'ok')
})
