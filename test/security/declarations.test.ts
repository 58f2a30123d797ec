/**
 * Who may declare an event erroneous (issue 13, item 5): only the organisation that captured the event, or an
 * operator / authority. Another organisation's declaration is kept but has no effect anywhere a declaration is
 * read, whichever arrives first.
 */
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import type { Json } from '../factories.js'
import { build } from '../helper.js'
import { bearer, buildWorld, createKey, post } from './fixtures.js'

const ALPHA_SITE = 'urn:epc:id:sgln:8934567.00001.0'
let counter = 0
const CORRECTIVE = 'urn:uuid:5e1f0000-0000-4000-8000-c0ffee000001'
const lot = (name: string) => `urn:epc:class:lgtin:8934567.012345.${name}`
const eventId = () => `urn:uuid:5e1f0000-0000-4000-8000-${String(++counter).padStart(12, '0')}`

function observation(id: string, epcClass: string, fields: Json = {}): Json {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'ObjectEvent',
    eventID: id,
    eventTime: '2024-06-03T08:00:00.000+07:00',
    eventTimeZoneOffset: '+07:00',
    action: 'OBSERVE',
    quantityList: [{ epcClass, quantity: 10, uom: 'KGM' }],
    bizStep: 'holding',
    readPoint: { id: ALPHA_SITE },
    bizLocation: { id: ALPHA_SITE },
    ...fields,
  }
}

/** A declaration that the event with this eventID is erroneous (same shape, errorDeclaration added). */
const declaration = (id: string, epcClass: string) =>
  observation(id, epcClass, {
    errorDeclaration: {
      declarationTime: '2024-06-04T08:00:00.000+07:00',
      reason: 'incorrect_data',
      correctiveEventIDs: [CORRECTIVE],
      'https://ns.example.vn/epcis/ticket': 'T-1',
    },
  })

async function postEvent(app: FastifyInstance, key: string, body: Json) {
  const response = await app.inject({ method: 'POST', url: '/events', headers: bearer(key), payload: body })
  if (response.statusCode !== 201) throw new Error(`POST /events answered ${response.statusCode}: ${response.body}`)
}

const get = async (app: FastifyInstance, url: string, key?: string) => {
  const response = await app.inject({ method: 'GET', url, ...(key ? { headers: bearer(key) } : {}) })
  return { status: response.statusCode, body: response.body, json: () => response.json() as Json }
}

const eventList = (body: Json) => ((body.epcisBody as Json).queryResults as { resultsBody: { eventList: Json[] } }).resultsBody.eventList
const pagePath = (epcClass: string) => `/traceability/page${new URL(canonicalIdentifier(epcClass)).pathname}`

t.test('an organisation cannot declare another organisation\'s events erroneous', async (t) => {
  const app = await build(t)
  const world = await buildWorld(app)
  await post(app, '/admin/organizations', { id: 'province', name: 'Sở Nông nghiệp', identifiers: [] })
  const authority = (await createKey(app, 'province', ['authority', 'capture'])).key
  const { alpha, beta } = world.keys

  const recalledLot = lot('RECALL-1')
  const recallId = eventId()
  await postEvent(app, alpha, observation(recallId, recalledLot, { disposition: 'recalled' }))
  // Beta reuses the recall's eventID; it names alpha's site so that alpha sees the declaration.
  await postEvent(app, beta, declaration(recallId, recalledLot))

  t.test('the consumer page still says recalled, not corrected', async (t) => {
    const page = await app.inject({ method: 'GET', url: pagePath(recalledLot), headers: { authorization: '' } })
    t.equal(page.statusCode, 200)
    t.match(page.body, 'class="alert recalled"')
    t.notMatch(page.body, 'class="alert corrected"')
  })

  t.test('lineage, recall and state do not treat the event as erroneous, for anyone', async (t) => {
    for (const key of [alpha, authority, undefined]) {
      const epc = encodeURIComponent(recalledLot)
      const lineage = (await get(app, `/traceability/lineage?epc=${epc}`, key)).json()
      t.same(lineage.erroneousEvents, [], 'lineage')
      t.ok((lineage.events as string[]).includes(recallId), 'the recall event is in the lineage')
      t.same((await get(app, `/traceability/recall?epc=${epc}`, key)).json().erroneousEvents, [], 'recall')
      const state = (await get(app, `/traceability/state?epc=${epc}`, key)).json()
      t.same(state.erroneousEvents, [], 'state')
      t.match(state.disposition, /recalled$/, 'state: still recalled')
    }
  })

  t.test('queries and event views show no declaration of it', async (t) => {
    const id = encodeURIComponent(recallId)
    for (const key of [alpha, undefined]) {
      t.same(eventList((await get(app, `/events?EXISTS_errorDeclaration=true&EQ_eventID=${id}`, key)).json()), [], 'EXISTS_errorDeclaration')
      t.same(eventList((await get(app, `/events?EQ_errorReason=incorrect_data`, key)).json()), [], 'EQ_errorReason')
      t.same(eventList((await get(app, `/events?GE_errorDeclarationTime=2000-01-01T00:00:00Z`, key)).json()), [], 'GE_errorDeclarationTime')
      t.same(eventList((await get(app, `/events?EQ_correctiveEventID=${CORRECTIVE}`, key)).json()), [], 'EQ_correctiveEventID')
      const extension = await app.inject({
        method: 'GET',
        url: '/events?EQ_ERROR_DECLARATION_ex:ticket=T-1',
        headers: { 'gs1-extensions': 'ex=https://ns.example.vn/epcis/', ...(key ? bearer(key) : {}) },
      })
      t.same(eventList(extension.json()), [], 'EQ_ERROR_DECLARATION_')
      const byId = eventList((await get(app, `/events/${id}`, key)).json())
      t.equal(byId.length, 1, 'GET /events/{eventID}: the event alone')
      t.notOk('errorDeclaration' in byId[0]!)
      const matching = eventList((await get(app, `/events?EQ_eventID=${id}`, key)).json())
      t.same(matching.map((e) => 'errorDeclaration' in e), [false], 'EQ_eventID: no declaration among the events')
    }
    const own = eventList((await get(app, `/events?EQ_eventID=${id}`, beta)).json())
    t.same(own.map((e) => 'errorDeclaration' in e), [true], 'beta still reads its own record, as it sent it')
    t.same(eventList((await get(app, `/events?EXISTS_errorDeclaration=true&EQ_eventID=${id}`, beta)).json()), [], 'but not as a declaration')
    t.same(eventList((await get(app, `/events?EQ_correctiveEventID=${CORRECTIVE}`, beta)).json()), [], 'EQ_correctiveEventID')
  })

  t.test('a declaration that arrives before its event is attributed to its declarer', async (t) => {
    const early = lot('EARLY-1')
    const byBeta = eventId()
    const byAlpha = eventId()
    await postEvent(app, beta, declaration(byBeta, early))
    await postEvent(app, alpha, declaration(byAlpha, early))
    await postEvent(app, alpha, observation(byBeta, early, { disposition: 'recalled' }))
    // A receiving event names its source (the publication checks hold it otherwise, and the page would not show it).
    await postEvent(app, alpha, observation(byAlpha, early, { bizStep: 'receiving', sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:8939999.00001' }] }))
    const lineage = (await get(app, `/traceability/lineage?epc=${encodeURIComponent(early)}`, alpha)).json()
    t.same((lineage.erroneousEvents as Json[]).map((e) => e.eventID), [byAlpha], "alpha's own early declaration takes effect; beta's does not")
    t.ok((lineage.events as string[]).includes(byBeta))
    const page = await app.inject({ method: 'GET', url: pagePath(early), headers: { authorization: '' } })
    t.match(page.body, 'class="alert recalled"')
    t.match(page.body, 'class="alert corrected"')
  })

  t.test("an ordinary event reusing another organisation's eventID does not replace it on the page", async (t) => {
    const recalled = lot('PERSIST-1')
    const id = eventId()
    await postEvent(app, alpha, observation(id, recalled, { persistentDisposition: { set: ['recalled'] } }))
    await postEvent(app, beta, observation(id, 'urn:epc:class:lgtin:8939999.054321.B-1', {
      eventTime: '2024-06-05T08:00:00.000+07:00',
      certificationInfo: 'https://fake-cert.example.vn/B',
    }))
    const page = await app.inject({ method: 'GET', url: pagePath(recalled), headers: { authorization: '' } })
    t.match(page.body, 'class="alert recalled"', 'the open recall stays')
    t.notMatch(page.body, 'fake-cert', "beta's event is not a step of alpha's product")
  })

  t.test('an authority and the operator may declare any event erroneous', async (t) => {
    const declared = lot('AUTH-1')
    const byAuthority = eventId()
    const byOperator = eventId()
    await postEvent(app, alpha, observation(byAuthority, declared))
    await postEvent(app, alpha, observation(byOperator, declared, { bizStep: 'receiving' }))
    await postEvent(app, authority, declaration(byAuthority, declared))
    const operator = await app.inject({ method: 'POST', url: '/events', payload: declaration(byOperator, declared) })
    t.equal(operator.statusCode, 201)
    const lineage = (await get(app, `/traceability/lineage?epc=${encodeURIComponent(declared)}`, alpha)).json()
    t.same((lineage.erroneousEvents as Json[]).map((e) => e.eventID).sort(), [byAuthority, byOperator].sort())
    const found = eventList((await get(app, `/events?EXISTS_errorDeclaration=true&EQ_eventID=${encodeURIComponent(byAuthority)}`, alpha)).json())
    t.equal(found.length, 1, 'the authority declaration is found by EXISTS_errorDeclaration')
    const extension = await app.inject({
      method: 'GET',
      url: '/events?EQ_ERROR_DECLARATION_ex:ticket=T-1',
      headers: { 'gs1-extensions': 'ex=https://ns.example.vn/epcis/', ...bearer(alpha) },
    })
    const ids = eventList(extension.json()).map((e) => e.eventID)
    t.ok(ids.includes(byAuthority) && ids.includes(byOperator), 'and by EQ_ERROR_DECLARATION_')
  })
})
