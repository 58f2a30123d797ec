/** A subscription delivers only what its organisation may see; organisations list and delete only their own. */
import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { bearer, buildWorld } from '../security/fixtures.js'
import { createNamedQuery, FAST, subscribe } from './helpers.js'
import { sleep, startReceiver, waitFor } from './receiver.js'

t.test('visibility between organisations', async (t) => {
  const app = await build(t, FAST)
  const world = await buildWorld(app)
  await createNamedQuery(app, 'observed', { EQ_action: ['OBSERVE'] }, bearer(world.keys.alpha))
  const history = { initialRecordTime: '2000-01-01T00:00:00Z', stream: true }

  const receivers = { alpha: await startReceiver(), beta: await startReceiver(), gamma: await startReceiver(), admin: await startReceiver() }
  t.teardown(async () => {
    for (const r of Object.values(receivers)) await r.close()
  })
  const subs = {
    alpha: await subscribe(app, 'observed', { dest: receivers.alpha.url, ...history }, bearer(world.keys.alpha)),
    beta: await subscribe(app, 'observed', { dest: receivers.beta.url, ...history }, bearer(world.keys.beta)),
    gamma: await subscribe(app, 'observed', { dest: receivers.gamma.url, ...history }, bearer(world.keys.gamma)),
    admin: await subscribe(app, 'observed', { dest: receivers.admin.url, ...history }),
  }
  // A new event of beta's only, captured after subscribing.
  const betaLater = 'urn:uuid:0be7a000-0000-4000-8000-0000000000b2'
  await captureAndWait(app, epcisDocument([objectEvent({ eventID: betaLater, bizLocation: { id: 'urn:epc:id:sgln:8939999.00001.0' } })]), bearer(world.keys.beta))

  await waitFor(() => receivers.admin.takenEventIds().length >= 4, 10_000, 'the operator receives everything')
  await waitFor(() => receivers.beta.takenEventIds().length >= 3, 10_000, 'beta')
  await waitFor(() => receivers.alpha.takenEventIds().length >= 2, 10_000, 'alpha')
  await sleep(500)
  t.same(receivers.alpha.takenEventIds().sort(), [world.events.alphaToBeta, world.events.alphaPrivate].sort(), 'alpha: its own events')
  t.same(receivers.beta.takenEventIds().sort(), [world.events.alphaToBeta, world.events.betaPrivate, betaLater].sort(), 'beta: its own and the one shipped to it')
  t.same(receivers.gamma.takenEventIds(), [], 'gamma: nothing')
  t.equal(receivers.admin.takenEventIds().length, 4)
  for (const r of Object.values(receivers)) t.notOk(r.deliveries.some((d) => d.body.includes(world.alphaPrivateEpc) && r !== receivers.alpha && r !== receivers.admin))

  const listAs = async (key?: string) =>
    (await app.inject({ method: 'GET', url: '/queries/observed/subscriptions', headers: key ? bearer(key) : {} })).json() as Array<{ subscriptionID: string }>
  t.same((await listAs(world.keys.beta)).map((s) => s.subscriptionID), [subs.beta.subscriptionID], 'beta lists only its own')
  t.equal((await listAs()).length, 4, 'the operator lists all')
  const betaReadsAlpha = await app.inject({ method: 'GET', url: `/queries/observed/subscriptions/${subs.alpha.subscriptionID}`, headers: bearer(world.keys.beta) })
  t.equal(betaReadsAlpha.statusCode, 404, "another organisation's subscription does not exist for beta")
  const betaDeletesAlpha = await app.inject({ method: 'DELETE', url: `/queries/observed/subscriptions/${subs.alpha.subscriptionID}`, headers: bearer(world.keys.beta) })
  t.equal(betaDeletesAlpha.statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: `/queries/observed/subscriptions/${subs.alpha.subscriptionID}` })).statusCode, 200, 'still there')
  const own = await app.inject({ method: 'DELETE', url: `/queries/observed/subscriptions/${subs.beta.subscriptionID}`, headers: bearer(world.keys.beta) })
  t.equal(own.statusCode, 204)
  const paged = await app.inject({ method: 'GET', url: '/queries/observed/subscriptions?perPage=2' })
  t.equal(paged.json().length, 2)
  const next = /<([^>]+)>; rel="next"/.exec(String(paged.headers.link))
  t.ok(next, 'a next page')
  const second = await app.inject({ method: 'GET', url: next![1]! })
  t.equal(second.json().length, 1, 'the rest on the next page')
})
