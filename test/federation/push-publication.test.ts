/** Push and publication control: a peer receives published events only, unless it is set to receive everything. */
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY } from '../helper.js'
import { createKey, post } from '../security/fixtures.js'
import { createPeer, FEDERATION, listen, storedEventIds, until } from './peer-helpers.js'

t.test('held events stay in the province; a peer set to send everything gets them too', async (t) => {
  const { app: national } = await buildWithDatabase(t, FEDERATION)
  const { app: audit } = await buildWithDatabase(t, FEDERATION)
  const [nationalUrl, auditUrl] = [await listen(national), await listen(audit)]
  const { app: province } = await buildWithDatabase(t, FEDERATION)
  await post(province, '/admin/organizations', { id: 'farm', name: 'Trại A', identifiers: ['8934567'] })
  const patched = await province.inject({ method: 'PATCH', url: '/admin/organizations/farm', payload: { publicationPolicy: 'review' } })
  t.equal(patched.statusCode, 200)
  const farm = (await createKey(province, 'farm', ['capture'])).key
  await createPeer(province, { id: 'national', name: 'National portal', baseUrl: nationalUrl, direction: 'push', credentials: { bearer: TEST_ADMIN_API_KEY } })
  await createPeer(province, {
    id: 'audit',
    name: 'Audit copy',
    baseUrl: auditUrl,
    direction: 'push',
    credentials: { bearer: TEST_ADMIN_API_KEY },
    sendEverything: true,
  })

  const held = objectEvent({ eventID: 'urn:uuid:5e0d2000-0000-4000-8000-000000000001' })
  const published = objectEvent({ eventID: 'urn:uuid:5e0d2000-0000-4000-8000-000000000002' })
  const job = await captureAndWait(province, epcisDocument([held]), { authorization: `Bearer ${farm}` })
  t.equal(job.storedCount, 1, 'the farm is under review: its event is held')
  await captureAndWait(province, epcisDocument([published]))

  await until('the audit copy has both', async () => (await storedEventIds(audit)).length >= 2)
  t.same(await storedEventIds(audit), [held.eventID, published.eventID].sort(), 'sendEverything: every state')
  await until('the national portal has the published event', async () => (await storedEventIds(national)).length >= 1)
  // The audit peer already received the held event, which was stored before the published one: had the national
  // peer been sent it, it would have arrived by now.
  t.same(await storedEventIds(national), [published.eventID], 'the held event was not sent')

  const changed = await province.inject({
    method: 'PUT',
    url: '/admin/peers/national',
    payload: { name: 'National portal', baseUrl: nationalUrl, direction: 'push', query: { EQ_publicationState: 'held' } },
  })
  t.equal(changed.statusCode, 400, 'a peer cannot choose the publication state itself')
  t.equal(changed.json().type, 'epcisException:QueryParameterException')
})
