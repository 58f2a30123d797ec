/**
 * A peer that cannot finish a batch within the delivery's time (half the subscription lease) gets smaller
 * batches, as a receiver answering 413 does: a large FEDERATION_PUSH_BATCH_SIZE never leaves a slow peer
 * retrying the same batch forever.
 */
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { buildWithDatabase, captureAndWait, TEST_ADMIN_API_KEY } from '../helper.js'
import { createPeer, FEDERATION, peerOf, peerWithoutWorkers, storedEventIds, until } from './peer-helpers.js'

t.test('a batch the peer does not finish in time is sent again in halves; every event arrives once', async (t) => {
  const { peer, peerUrl, startWorker } = await peerWithoutWorkers(t)
  // A delivery has half the lease (1.5 s here) to see its jobs end.
  const { app } = await buildWithDatabase(t, { ...FEDERATION, FEDERATION_PUSH_BATCH_SIZE: 8, SUBSCRIPTION_LEASE_MS: 3000 })
  await createPeer(app, { id: 'slow', name: 'Slow', baseUrl: peerUrl, direction: 'push', credentials: { bearer: TEST_ADMIN_API_KEY } })
  const batchSize = async () => (await app.db.selectFrom('subscription').select('batch_size').where('destination_kind', 'is not', null).executeTakeFirstOrThrow()).batch_size
  t.equal(await batchSize(), 8)

  const events = Array.from({ length: 8 }, (_, i) => objectEvent({ eventID: `urn:uuid:7a5e0000-0000-4000-8000-00000000000${i}` }))
  await captureAndWait(app, epcisDocument(events))
  await until('the batch halved down to one event', async () => (await batchSize()) === 1, 30_000)
  const failing = await peerOf(app, 'slow')
  t.match(failing.state.lastError, /still running at the end of the delivery/, 'the reason is kept in the peer state')
  t.same(await storedEventIds(peer), [], 'nothing stored yet at the peer')

  // The peer's worker comes: the jobs already sent are stored, and what is sent again is found there.
  await startWorker()
  const done = await until('every event delivered', async () => {
    const view = await peerOf(app, 'slow')
    return view.state.lagMs === 0 && view.state.eventsSent >= 8 ? view : undefined
  }, 60_000)
  t.equal(done.state.status, 'ok')
  t.same(await storedEventIds(peer), events.map((e) => e.eventID as string).sort(), 'every event, once')
  t.equal(await batchSize(), 1, 'the batch stays small for this peer')
})
