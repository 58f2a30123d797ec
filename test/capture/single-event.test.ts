import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build } from '../helper.js'
import { objectEvent } from '../factories.js'

t.test('POST /events captures one event synchronously', async (t) => {
  const app = await build(t)
  const eventID = 'urn:uuid:9e1b7b8a-4a53-4f55-8a3e-1d2f3c4b5a69'
  const event = {
    '@context': [EPCIS_CONTEXT_URL, { vn: 'https://nguon.example.vn/epcis/' }],
    ...objectEvent({ eventID, 'vn:tinh': 'Tây Ninh' }),
  }
  const response = await app.inject({ method: 'POST', url: '/events', payload: event })
  t.equal(response.statusCode, 201)
  t.equal(response.headers.location, `/events/${encodeURIComponent(eventID)}`)

  const back = await app.inject({
    method: 'GET',
    url: response.headers.location as string,
    headers: { 'gs1-epc-format': 'Never_Translates' },
  })
  t.equal(back.statusCode, 200)
  const document = back.json()
  t.same(document['@context'], event['@context'])
  const [stored] = document.epcisBody.queryResults.resultsBody.eventList
  const { recordTime, ...rest } = stored
  const { '@context': _, ...sent } = event
  t.same(rest, sent, 'comes back as sent')
  t.type(recordTime, 'string')
})

t.test('POST /events gives an event without eventID one of its own', async (t) => {
  const app = await build(t)
  const response = await app.inject({
    method: 'POST',
    url: '/events',
    headers: { 'content-type': 'application/ld+json' },
    payload: JSON.stringify({ '@context': EPCIS_CONTEXT_URL, ...objectEvent() }),
  })
  t.equal(response.statusCode, 201)
  const back = await app.inject({ method: 'GET', url: response.headers.location as string })
  t.equal(back.statusCode, 200)
  const [stored] = back.json().epcisBody.queryResults.resultsBody.eventList
  t.equal(`/events/${encodeURIComponent(stored.eventID)}`, response.headers.location)
})

t.test('POST /events rejects what is not one valid event', async (t) => {
  const app = await build(t)
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/events', payload: payload as object })
  const noContext = await post(objectEvent())
  t.equal(noContext.statusCode, 400, 'a standalone event needs its @context')
  t.equal(noContext.json().type, 'epcisException:ValidationException')
  const badAction = await post({ '@context': EPCIS_CONTEXT_URL, ...objectEvent({ action: 'FLY' }) })
  t.equal(badAction.statusCode, 400)
  const list = await post([{ '@context': EPCIS_CONTEXT_URL, ...objectEvent() }])
  t.equal(list.statusCode, 400)
  const count = await app.inject({ method: 'GET', url: '/events' })
  t.same(count.json().epcisBody.queryResults.resultsBody.eventList, [], 'nothing was stored')
})

t.test('GET /events/{eventID} for an unknown id: 404 NoSuchResourceException', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/events/urn:uuid:00000000-0000-0000-0000-000000000000' })
  t.equal(response.statusCode, 404)
  t.equal(response.json().type, 'epcisException:NoSuchResourceException')
})
