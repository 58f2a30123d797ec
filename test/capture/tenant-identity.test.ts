/**
 * Event identity per organisation (issue 13, item 7): "already stored" means already stored by the same
 * organisation. Another organisation's identical event neither swallows the caller's capture nor is revealed by it.
 */
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { bearer, buildWorld } from '../security/fixtures.js'

const EPC = 'urn:epc:id:sgtin:8937777.011111.SAME1'
const OTHER_EPC = 'urn:epc:id:sgtin:8937777.011111.SAME2'
/** No eventID: the repository gives it its CBV 2.0 hash, the same for every organisation. */
const sameEvent = (epc: string): Json => {
  const event = objectEvent({ epcList: [epc], readPoint: { id: 'urn:epc:id:sgln:8937777.00001.0' } })
  return event
}

const postEvent = (app: FastifyInstance, key: string | undefined, event: Json) =>
  app.inject({
    method: 'POST',
    url: '/events',
    ...(key ? { headers: bearer(key) } : {}),
    payload: { '@context': [EPCIS_CONTEXT_URL], ...event },
  })

const eventsOf = async (app: FastifyInstance, url: string, key?: string) => {
  const response = await app.inject({ method: 'GET', url, ...(key ? { headers: bearer(key) } : {}) })
  if (response.statusCode !== 200) return { status: response.statusCode, events: [] as Json[] }
  return { status: 200, events: response.json().epcisBody.queryResults.resultsBody.eventList as Json[] }
}

t.test("one organisation's capture is not a duplicate of another's", async (t) => {
  const app = await build(t)
  const { keys } = await buildWorld(app)
  const event = sameEvent(EPC)

  const first = await postEvent(app, keys.beta, event)
  t.equal(first.statusCode, 201, 'beta stores it first')
  const location = first.headers.location as string
  const eventId = decodeURIComponent(location.split('/events/')[1]!)
  t.match(eventId, /^ni:\/\/\/sha-256;/)

  const alphas = await postEvent(app, keys.alpha, event)
  t.equal(alphas.statusCode, 201, "alpha's identical capture is stored for alpha, and tells it nothing of beta's")
  const seen = await eventsOf(app, `/events/${encodeURIComponent(eventId)}`, keys.alpha)
  t.equal(seen.status, 200, 'alpha sees its own event')
  t.equal(seen.events.length, 1, "alpha sees only its own copy, not beta's")
  t.equal((await eventsOf(app, `/events?MATCH_epc=${EPC}`, keys.beta)).events.length, 1, 'beta sees only its own')

  t.equal((await postEvent(app, keys.alpha, event)).statusCode, 409, "a repeat of alpha's own capture is a duplicate")
  t.equal((await postEvent(app, keys.beta, event)).statusCode, 409, "a repeat of beta's own capture is a duplicate")
  t.equal((await postEvent(app, keys.gamma, event)).statusCode, 201, 'a third organisation stores its own')

  const operator = await eventsOf(app, `/events/${encodeURIComponent(eventId)}`)
  t.equal(operator.events.length, 3, 'the operator sees every organisation\'s event with that eventID, in storage order')
  t.equal((await postEvent(app, undefined, event)).statusCode, 201, 'the operator key is an organisation of its own')
  t.equal((await postEvent(app, undefined, event)).statusCode, 409)

  t.test('capture jobs count only the organisation\'s own events as duplicates', async (t) => {
    const document = epcisDocument([sameEvent(OTHER_EPC)])
    const byBeta = await captureAndWait(app, document, bearer(keys.beta))
    t.match(byBeta, { success: true, storedCount: 1, duplicateCount: 0 })
    const byAlpha = await captureAndWait(app, document, bearer(keys.alpha))
    t.match(byAlpha, { success: true, storedCount: 1, duplicateCount: 0 }, "beta's capture does not swallow alpha's")
    const again = await captureAndWait(app, document, bearer(keys.alpha))
    t.match(again, { success: true, storedCount: 0, duplicateCount: 1 })
    t.equal((await eventsOf(app, `/events?MATCH_epc=${OTHER_EPC}`, keys.alpha)).events.length, 1)
  })
})
