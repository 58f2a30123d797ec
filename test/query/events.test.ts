import t from 'tap'
import { buildWithDatabase, captureAndWait, buildTestApp, testConfig } from '../helper.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'

const farm = 'urn:epc:id:sgln:8934567.00001.0'
const market = 'urn:epc:id:sgln:8934567.00002.0'
const lot = 'urn:epc:class:lgtin:8934567.012345.LOT7'

const events: Json[] = [
  objectEvent({
    eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    eventTime: '2024-05-01T06:00:00.000+07:00',
    epcList: ['urn:epc:id:sgtin:8934567.012345.100'],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: farm },
    bizLocation: { id: farm },
  }),
  objectEvent({
    eventID: 'urn:uuid:00000000-0000-4000-8000-000000000002',
    eventTime: '2024-05-02T06:00:00.000+07:00',
    epcList: ['urn:epc:id:sgtin:8934567.012345.100'],
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: farm },
  }),
  {
    type: 'AggregationEvent',
    eventID: 'urn:uuid:00000000-0000-4000-8000-000000000003',
    eventTime: '2024-05-03T06:00:00.000+07:00',
    eventTimeZoneOffset: '+07:00',
    parentID: 'urn:epc:id:sscc:8934567.0000000001',
    childEPCs: ['urn:epc:id:sgtin:8934567.012345.200'],
    childQuantityList: [{ epcClass: lot, quantity: 12.5, uom: 'KGM' }],
    action: 'ADD',
    bizStep: 'packing',
    readPoint: { id: market },
    bizLocation: { id: market },
  },
  {
    type: 'TransformationEvent',
    eventID: 'urn:uuid:00000000-0000-4000-8000-000000000004',
    eventTime: '2024-05-04T06:00:00.000+07:00',
    eventTimeZoneOffset: '+07:00',
    inputEPCList: ['urn:epc:id:sgtin:8934567.012345.300'],
    outputQuantityList: [{ epcClass: lot, quantity: 40 }],
    bizStep: 'commissioning',
    readPoint: { id: market },
  },
]

type Page = { events: Json[]; link?: string; status: number; body: Json }

t.test('the first slice of the EPCIS query interface', async (t) => {
  const { app, databaseUrl } = await buildWithDatabase(t)
  await captureAndWait(app, epcisDocument(events))
  const query = async (qs: string): Promise<Page> => {
    const response = await app.inject({ method: 'GET', url: `/events${qs ? `?${qs}` : ''}` })
    const body = response.json() as Json
    const list = response.statusCode === 200 ? ((body.epcisBody as Json).queryResults as Json).resultsBody : undefined
    return {
      status: response.statusCode,
      body,
      events: ((list as Json | undefined)?.eventList as Json[]) ?? [],
      link: response.headers.link as string | undefined,
    }
  }
  const ids = async (qs: string) => {
    const page = await query(qs)
    t.equal(page.status, 200, `${qs}: ${JSON.stringify(page.body).slice(0, 200)}`)
    return page.events.map((e) => Number(String(e.eventID).slice(-1)))
  }

  t.same(await ids(''), [1, 2, 3, 4], 'no parameter: every event')
  t.same(await ids('eventType=AggregationEvent'), [3])
  t.same(await ids('eventType=AggregationEvent|TransformationEvent'), [3, 4], 'pipe-separated values are OR-ed')
  t.same(await ids('eventType=AggregationEvent&eventType=ObjectEvent'), [1, 2, 3], 'repeated parameters are OR-ed')
  t.same(await ids('GE_eventTime=2024-05-02T06:00:00.000%2B07:00'), [2, 3, 4], 'GE is inclusive')
  t.same(await ids('LT_eventTime=2024-05-02T06:00:00.000%2B07:00'), [1], 'LT is exclusive')
  t.same(await ids('GE_eventTime=2024-05-01T23:00:00Z&LT_eventTime=2024-05-02T23:00:00Z'), [2], 'time zones are honoured')
  t.same(await ids('GE_recordTime=2000-01-01T00:00:00Z'), [1, 2, 3, 4])
  t.same(await ids('LT_recordTime=2000-01-01T00:00:00Z'), [])
  t.same(await ids('EQ_action=ADD'), [1, 3])
  t.same(await ids('EQ_bizStep=shipping'), [2])
  t.same(await ids('EQ_bizStep=commissioning|packing'), [1, 3, 4])
  t.same(await ids('EQ_disposition=active'), [1])
  t.same(await ids(`EQ_readPoint=${market}`), [3, 4])
  t.same(await ids(`EQ_bizLocation=${farm}`), [1])
  t.same(await ids('EQ_eventID=urn:uuid:00000000-0000-4000-8000-000000000002'), [2])
  t.same(await ids('MATCH_epc=urn:epc:id:sgtin:8934567.012345.100'), [1, 2])
  t.same(await ids('MATCH_epc=urn:epc:id:sgtin:8934567.012345.200'), [3], 'MATCH_epc covers childEPCs')
  t.same(await ids('MATCH_epc=urn:epc:id:sgtin:8934567.012345.300'), [], 'MATCH_epc does not cover inputs')
  t.same(await ids('MATCH_anyEPC=urn:epc:id:sgtin:8934567.012345.300'), [4], 'MATCH_anyEPC covers inputs')
  t.same(await ids('MATCH_anyEPC=urn:epc:id:sscc:8934567.0000000001'), [3], 'MATCH_anyEPC covers parentID')
  t.same(await ids(`MATCH_epcClass=${lot}`), [3], 'MATCH_epcClass covers childQuantityList')
  t.same(await ids(`MATCH_anyEPCClass=${lot}`), [3, 4], 'MATCH_anyEPCClass covers output quantities')
  t.same(await ids(`EQ_bizStep=commissioning&EQ_readPoint=${farm}`), [1], 'different parameters are AND-ed')

  t.test('paging walks every event once, across instances', async (t) => {
    const first = await query('perPage=3')
    t.equal(first.events.length, 3)
    t.ok(first.link, 'a Link header points at the next page')
    const next = /<([^>]+)>; rel="next"/.exec(first.link!)![1]!
    t.match(next, /^\/events\?perPage=3&nextPageToken=/)

    const other = await buildTestApp({
      config: { ...testConfig({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 0 }), DATABASE_URL: databaseUrl },
    })
    t.teardown(() => other.close())
    const response = await other.inject({ method: 'GET', url: next })
    t.equal(response.statusCode, 200, 'the token works on another instance')
    const rest = response.json().epcisBody.queryResults.resultsBody.eventList as Json[]
    t.same(
      [...first.events, ...rest].map((e) => e.eventID),
      events.map((e) => e.eventID),
    )
    t.notOk(response.headers.link, 'the last page has no next link')

    const token = new URL(next, 'http://x').searchParams.get('nextPageToken')!
    const moved = await query(`perPage=3&eventType=ObjectEvent&nextPageToken=${token}`)
    t.equal(moved.status, 400, 'a token is bound to its query')
    const forged = await query(`perPage=3&nextPageToken=${token.slice(0, -2)}xx`)
    t.equal(forged.status, 400, 'a forged token is refused')
    t.equal(forged.body.type, 'epcisException:QueryParameterException')
  })

  t.test('bad parameters get 400 QueryParameterException naming the parameter', async (t) => {
    for (const qs of [
      'EQ_colour=red',
      'GE_eventTime=yesterday',
      'GE_eventTime=2024-05-01',
      'LT_recordTime=2024-13-45T00:00:00Z',
      'EQ_action=JUMP',
      'eventType=Banana',
      'perPage=0',
      'perPage=ten',
      'perPage=100000',
      'EQ_readPoint=not a uri',
      'EQ_bizStep=',
      'GE_eventTime=2024-05-01T00:00:00Z&GE_eventTime=2024-05-02T00:00:00Z',
    ]) {
      const page = await query(qs)
      t.equal(page.status, 400, qs)
      t.equal(page.body.type, 'epcisException:QueryParameterException', qs)
      t.match(page.body.detail, new RegExp(qs.split('=')[0]!), `${qs}: the message names the parameter`)
    }
  })

  t.test('content negotiation', async (t) => {
    const ld = await app.inject({ method: 'GET', url: '/events', headers: { accept: 'application/ld+json' } })
    t.match(ld.headers['content-type'], /^application\/ld\+json/)
    const json = await app.inject({ method: 'GET', url: '/events', headers: { accept: 'application/json' } })
    t.match(json.headers['content-type'], /^application\/json/)
    const none = await app.inject({ method: 'GET', url: '/events', headers: { accept: 'image/png' } })
    t.equal(none.statusCode, 406)
    t.equal(none.json().type, 'epcisException:NotAcceptableException')
  })
})
