import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { get, qs } from './query-helper.js'

/** [query string, the parameter the message must name]. */
const BAD: Array<[string, string]> = [
  ['EQ_colour=red', 'EQ_colour'],
  ['GT_eventTime=2024-05-01T00:00:00Z', 'GT_eventTime'],
  ['eventType=Banana', 'eventType'],
  ['GE_eventTime=yesterday', 'GE_eventTime'],
  ['GE_eventTime=2024-05-01', 'GE_eventTime'],
  ['GE_eventTime=2024-02-30T00:00:00Z', 'GE_eventTime'],
  ['LT_recordTime=2024-13-45T00:00:00Z', 'LT_recordTime'],
  ['LT_eventTime=2024-05-01T24:00:00Z', 'LT_eventTime'],
  [qs({ GE_errorDeclaration_Time: '2024-05-01T00:00:00+25:00' }), 'GE_errorDeclaration_Time'],
  ['GE_eventTime=2024-05-01T00:00:00Z&GE_eventTime=2024-05-02T00:00:00Z', 'GE_eventTime'],
  ['EQ_action=JUMP', 'EQ_action'],
  ['EQ_bizStep=', 'EQ_bizStep'],
  ['EQ_readPoint=not a uri', 'EQ_readPoint'],
  ['EQ_readPoint=urn:epc:id:sgln:8934567.00001', 'EQ_readPoint'],
  ['WD_bizLocation=nope', 'WD_bizLocation'],
  ['MATCH_epc=urn:epc:id:sgtin:123', 'MATCH_epc'],
  ['MATCH_anyEPC=urn:epc:idpat:sgtin:8934567.*.5', 'MATCH_anyEPC'],
  ['MATCH_epcClass=%%%', 'MATCH_epcClass'],
  ['EQ_quantity=ten', 'EQ_quantity'],
  ['GT_quantity=1|2', 'GT_quantity'],
  ['GE_quantity=1e999', 'GE_quantity'],
  ['GE_quantity_kg=1', 'GE_quantity_kg'],
  ['GE_quantity_KILOGRAM=1', 'GE_quantity_KILOGRAM'],
  ['EQ_value_C=1', 'EQ_value_C'],
  ['GT_value_CEL=warm', 'GT_value_CEL'],
  ['GT_percRank=high', 'GT_percRank'],
  ['EQ_booleanValue=yes', 'EQ_booleanValue'],
  ['EQ_hexBinaryValue=xyz', 'EQ_hexBinaryValue'],
  ['EQ_deviceID=not a uri', 'EQ_deviceID'],
  ['GE_time=noon', 'GE_time'],
  ['EXISTS_errorDeclaration=maybe', 'EXISTS_errorDeclaration'],
  ['EXISTS_sensorElementList=1', 'EXISTS_sensorElementList'],
  [qs({ 'EQ_nope:field': 'x' }), 'EQ_nope:field'],
  [qs({ 'GT_ex:field': 'abc' }), 'GT_ex:field'],
  [qs({ 'GT_ex:field': '1|2' }), 'GT_ex:field'],
  [qs({ 'EQ_ATTR_bizLocation': 'x' }), 'EQ_ATTR_bizLocation'],
  [qs({ EQ_source_owning_party: 'urn:epc:id:pgln:1' }), 'EQ_source_owning_party'],
  ['perPage=0', 'perPage'],
  ['perPage=ten', 'perPage'],
  ['perPage=100000', 'perPage'],
  ['nextPageToken=abc', 'nextPageToken'],
  ['eventCountLimit=1', 'eventCountLimit'],
  ['orderBy=eventTime&eventCountLimit=1&maxEventCount=1', 'eventCountLimit'],
]

t.test('bad input gets 400 QueryParameterException naming the parameter', async (t) => {
  const app = await build(t)
  for (const [query, name] of BAD) {
    const answer = await get(app, `/events?${query}`, { 'GS1-Extensions': 'ex=https://ns.example.com/epcis/' })
    t.equal(answer.status, 400, query)
    t.equal(answer.body.type, 'epcisException:QueryParameterException', query)
    t.ok(String(answer.body.detail).includes(name), `${query}: "${answer.body.detail}" names ${name}`)
    t.match(answer.headers['content-type'], /^application\/problem\+json/)
  }
  for (const path of ['/eventTypes/ObjectEvent/events', '/bizSteps/shipping/events']) {
    const answer = await get(app, `${path}?EQ_colour=red`)
    t.equal(answer.status, 400, path)
    t.equal(answer.body.type, 'epcisException:QueryParameterException')
  }
})

t.test('a query too costly to run gets 413 QueryTooComplexException (QUERY_MAX_COST)', async (t) => {
  const app = await build(t, { QUERY_MAX_COST: 0.5 })
  await captureAndWait(app, epcisDocument([objectEvent(), objectEvent()]))
  const answer = await get(app, '/events?EQ_action=OBSERVE')
  t.equal(answer.status, 413)
  t.equal(answer.body.type, 'epcisException:QueryTooComplexException')
  t.match(answer.body.detail, /limit 0\.5/)
  const named = await app.inject({ method: 'POST', url: '/queries', payload: { name: 'all', query: {} } })
  t.equal(named.statusCode, 201)
  t.equal((await get(app, '/queries/all/events')).status, 413, 'named queries are guarded too')

  const relaxed = await build(t)
  await captureAndWait(relaxed, epcisDocument([objectEvent()]))
  t.equal((await get(relaxed, '/events?EQ_action=OBSERVE')).status, 200, 'the default limit lets it run')
  t.equal((await get(app, '/events?GT_quantity=1')).status, 200, 'a side-table filter with few candidates is bounded work: no guard')
})
