import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { allPages, eventId, get, namesOf } from './query-helper.js'

const farm = 'urn:epc:id:sgln:8934567.00001.0'
const market = 'urn:epc:id:sgln:8934567.00002.0'
const item = (serial: string) => `urn:epc:id:sgtin:8934567.012345.${serial}`

const event = (name: string, extra: Json): Json => ({
  eventID: eventId(name),
  eventTime: '2024-05-01T06:00:00.000+07:00',
  eventTimeZoneOffset: '+07:00',
  ...extra,
})

const events: Json[] = [
  event('receive', {
    type: 'ObjectEvent',
    action: 'OBSERVE',
    epcList: [item('1'), item('2')],
    bizStep: 'receiving',
    disposition: 'in_progress',
    readPoint: { id: farm },
    bizLocation: { id: farm },
  }),
  event('pack', {
    type: 'AggregationEvent',
    action: 'ADD',
    parentID: 'urn:epc:id:sscc:8934567.0000000001',
    childEPCs: [item('2'), item('3')],
    bizStep: 'packing',
    disposition: 'in_progress',
    readPoint: { id: market },
    bizLocation: { id: market },
  }),
  event('ship', {
    type: 'ObjectEvent',
    action: 'OBSERVE',
    epcList: [item('3')],
    quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: 2 }],
    bizStep: 'https://ns.example.com/epcis/bizstep/customs',
    disposition: 'in_transit',
    readPoint: { id: market },
  }),
]

const collection = (body: Json) => (body as { member: string[] }).member

t.test('top-level resources', async (t) => {
  const app = await build(t)
  t.ok((await captureAndWait(app, epcisDocument(events))).success)

  t.test('/eventTypes lists the standard types and pages', async (t) => {
    const all = await get(app, '/eventTypes')
    t.equal(all.status, 200)
    t.equal(all.body.type, 'Collection')
    t.same(collection(all.body), ['AggregationEvent', 'AssociationEvent', 'ObjectEvent', 'TransactionEvent', 'TransformationEvent'])
    const pages = await allPages(app, '/eventTypes?perPage=2')
    t.same(pages.map((p) => collection(p.body)), [['AggregationEvent', 'AssociationEvent'], ['ObjectEvent', 'TransactionEvent'], ['TransformationEvent']])
    t.same(collection((await get(app, '/eventTypes/ObjectEvent')).body), ['events'])
    t.same(namesOf(await get(app, '/eventTypes/ObjectEvent/events')), ['receive', 'ship'])
    t.same(namesOf(await get(app, '/eventTypes/ObjectEvent/events?EQ_bizStep=receiving')), ['receive'], 'with more parameters')
    t.same(namesOf(await get(app, '/eventTypes/TransactionEvent/events')), [])
    t.equal((await get(app, '/eventTypes/urn:example:NeverSeen')).status, 404)
  })

  t.test('/epcs: instance-level identifiers, per GS1-EPC-Format', async (t) => {
    const all = await get(app, '/epcs')
    t.equal(all.status, 200)
    t.same(collection(all.body), [
      'https://id.gs1.org/00/089345670000000017',
      'https://id.gs1.org/01/08934567123457/21/1',
      'https://id.gs1.org/01/08934567123457/21/2',
      'https://id.gs1.org/01/08934567123457/21/3',
    ])
    t.equal(all.headers['gs1-epc-format'], 'Always_GS1_Digital_Link')
    const urns = await get(app, '/epcs', { 'GS1-EPC-Format': 'Always_EPC_URN' })
    t.same(collection(urns.body), ['urn:epc:id:sscc:8934567.0000000001', item('1'), item('2'), item('3')])
    const pages = await allPages(app, '/epcs?perPage=3')
    t.same(pages.map((p) => collection(p.body).length), [3, 1])
    t.same(collection((await get(app, `/epcs/${item('2')}`)).body), ['events'])
    t.equal((await get(app, `/epcs/${item('9')}`)).status, 404)
    t.same(namesOf(await get(app, `/epcs/${item('2')}/events`)), ['receive', 'pack'])
    t.same(namesOf(await get(app, `/epcs/${encodeURIComponent('https://id.gs1.org/01/08934567123457/21/3')}/events`)), ['pack', 'ship'])
    t.same(namesOf(await get(app, '/epcs/urn:epc:id:sscc:8934567.0000000001/events')), ['pack'])
    t.same(namesOf(await get(app, `/epcs/${item('2')}/events?eventType=AggregationEvent`)), ['pack'])
  })

  t.test('/bizSteps and /dispositions: CBV values as bare words', async (t) => {
    t.same(collection((await get(app, '/bizSteps')).body), [
      'https://ns.example.com/epcis/bizstep/customs',
      'packing',
      'receiving',
    ])
    t.same(collection((await get(app, '/dispositions')).body), ['in_progress', 'in_transit'])
    t.same(collection((await get(app, '/bizSteps/receiving')).body), ['events'])
    t.equal((await get(app, '/bizSteps/shipping')).status, 404)
    t.same(namesOf(await get(app, '/bizSteps/urn:epcglobal:cbv:bizstep:packing/events')), ['pack'])
    t.same(namesOf(await get(app, `/bizSteps/${encodeURIComponent('https://ns.example.com/epcis/bizstep/customs')}/events`)), ['ship'])
    t.same(namesOf(await get(app, '/dispositions/in_progress/events')), ['receive', 'pack'])
    t.same(namesOf(await get(app, '/dispositions/in_progress/events?perPage=1')), ['receive'])
  })

  t.test('/bizLocations and /readPoints', async (t) => {
    t.same(collection((await get(app, '/readPoints')).body), ['https://id.gs1.org/414/8934567000017', 'https://id.gs1.org/414/8934567000024'])
    t.same(collection((await get(app, '/bizLocations', { 'GS1-EPC-Format': 'Always_EPC_URN' })).body), [farm, market])
    t.same(collection((await get(app, `/readPoints/${market}`)).body), ['events'])
    t.equal((await get(app, '/readPoints/urn:epc:id:sgln:8934567.00009.0')).status, 404)
    t.same(namesOf(await get(app, `/readPoints/${market}/events`)), ['pack', 'ship'])
    t.same(namesOf(await get(app, `/bizLocations/${market}/events`)), ['pack'])
    const paged = await allPages(app, `/readPoints/${market}/events?perPage=1`)
    t.same(paged.map(namesOf), [['pack'], ['ship']])
    t.equal((await get(app, '/readPoints/not-a-uri/events')).status, 400)
  })

  t.test('/events/{eventID}', async (t) => {
    const id = events[1]!.eventID as string
    const one = await get(app, `/events/${encodeURIComponent(id)}`)
    t.same(namesOf(one), ['pack'])
    t.equal((await get(app, '/events/urn:uuid:nothing')).status, 404)
  })

  t.test('OPTIONS on every query path answers the discovery headers', async (t) => {
    const paths = [
      '/events',
      '/events/x',
      ...['eventTypes', 'epcs', 'bizSteps', 'bizLocations', 'readPoints', 'dispositions'].flatMap((r) => [`/${r}`, `/${r}/x`, `/${r}/x/events`]),
      '/queries',
      '/queries/q',
      '/queries/q/events',
      '/nextPageToken/t',
    ]
    for (const url of paths) {
      const response = await app.inject({ method: 'OPTIONS', url })
      t.equal(response.statusCode, 204, url)
      t.ok(response.headers.allow, `${url}: Allow`)
      t.equal(response.headers['gs1-epcis-min'], '2.0.0', `${url}: GS1-EPCIS-Min`)
    }
  })
})
