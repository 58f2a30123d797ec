import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { eventId, get, namesOf, qs } from './query-helper.js'

const farm = 'urn:epc:id:sgln:8934567.00001.0'
const farmDL = 'https://id.gs1.org/414/8934567000017'
const market = 'urn:epc:id:sgln:8934567.00002.0'
const item = (serial: string) => `urn:epc:id:sgtin:8934567.012345.${serial}`
const otherItem = (serial: string) => `urn:epc:id:sgtin:8934567.012346.${serial}`
const lot7 = 'urn:epc:class:lgtin:8934567.012345.LOT7'
const lotA = 'urn:epc:class:lgtin:8934567.012346.A'
const lotB = 'urn:epc:class:lgtin:8934567.012346.B'
const transformation = 'urn:uuid:9f2a6b8e-0000-4000-8000-00000000aaaa'

const common = { eventTimeZoneOffset: '+07:00' }

const events: Json[] = [
  {
    ...common,
    type: 'ObjectEvent',
    eventID: eventId('commission'),
    eventTime: '2024-05-01T06:00:00.000+07:00',
    epcList: [item('100'), item('101')],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    persistentDisposition: { set: ['completeness_verified'] },
    readPoint: { id: farm },
    bizLocation: { id: farm },
  },
  {
    ...common,
    type: 'ObjectEvent',
    eventID: eventId('ship'),
    eventTime: '2024-05-02T06:00:00.000+07:00',
    epcList: [item('100')],
    quantityList: [{ epcClass: lot7, quantity: 12.5, uom: 'KGM' }],
    action: 'OBSERVE',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
    disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
    persistentDisposition: { unset: ['completeness_inferred'], set: ['completeness_verified'] },
    readPoint: { id: farmDL },
  },
  {
    ...common,
    type: 'AggregationEvent',
    eventID: eventId('pack'),
    eventTime: '2024-05-03T06:00:00.000+07:00',
    parentID: 'urn:epc:id:sscc:8934567.0000000001',
    childEPCs: [item('200')],
    childQuantityList: [{ epcClass: lot7, quantity: 500, uom: 'GRM' }],
    action: 'ADD',
    bizStep: 'packing',
    readPoint: { id: market },
    bizLocation: { id: market },
  },
  {
    ...common,
    type: 'TransformationEvent',
    eventID: eventId('transform'),
    eventTime: '2024-05-04T06:00:00.000+07:00',
    inputEPCList: [item('300')],
    inputQuantityList: [{ epcClass: lotA, quantity: 40, uom: 'KGM' }],
    outputEPCList: [otherItem('400')],
    outputQuantityList: [{ epcClass: lotB, quantity: 30 }],
    transformationID: transformation,
    bizStep: 'commissioning',
    readPoint: { id: market },
  },
  {
    ...common,
    type: 'TransactionEvent',
    eventID: eventId('sell'),
    eventTime: '2024-05-05T06:00:00.000+07:00',
    parentID: 'urn:epc:id:sscc:8934567.0000000002',
    epcList: [otherItem('500')],
    action: 'ADD',
    bizStep: 'retail_selling',
    disposition: 'retail_sold',
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:8934567000003:PO-1' }],
  },
  {
    ...common,
    type: 'AssociationEvent',
    eventID: eventId('associate'),
    eventTime: '2024-05-06T06:00:00.000+07:00',
    parentID: 'urn:epc:id:grai:8934567.00001.77',
    childEPCs: ['urn:epc:id:giai:8934567.SENSOR9'],
    action: 'ADD',
    bizStep: 'assembling',
  },
]

t.test('type, time, what, where and why parameters', async (t) => {
  const app = await build(t)
  const job = await captureAndWait(app, epcisDocument(events))
  t.ok(job.success, JSON.stringify(job.errors))
  const names = async (query: string, headers: Record<string, string> = {}) => {
    const answer = await get(app, `/events?${query}`, headers)
    t.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    return namesOf(answer)
  }

  t.test('eventType', async (t) => {
    t.same(await names('eventType=AssociationEvent'), ['associate'])
    t.same(await names('eventType=TransactionEvent|TransformationEvent'), ['transform', 'sell'])
    t.same(await names('eventType=urn:example:CustomEvent'), [], 'an extension type nobody used matches nothing')
  })

  t.test('GE_/LT_eventTime and GE_/LT_recordTime', async (t) => {
    t.same(await names(qs({ GE_eventTime: '2024-05-05T06:00:00.000+07:00' })), ['sell', 'associate'], 'GE is inclusive')
    t.same(await names(qs({ LT_eventTime: '2024-05-02T06:00:00.000+07:00' })), ['commission'], 'LT is exclusive')
    t.same(await names(qs({ GE_eventTime: '2024-05-01T23:00:00Z', LT_eventTime: '2024-05-02T23:00:00Z' })), ['ship'])
    t.same(
      await names('GE_eventTime=2024-05-05T06:00:00.000 07:00'),
      ['sell', 'associate'],
      'an unencoded + (read as a space) in the time zone is understood',
    )
    t.same((await names(qs({ GE_recordTime: '2000-01-01T00:00:00Z' }))).length, 6)
    t.same(await names(qs({ LT_recordTime: '2000-01-01T00:00:00Z' })), [])
    t.same(await names(qs({ GE_recordTime: '2999-01-01T00:00:00Z' })), [])
  })

  t.test('EQ_action, EQ_bizStep, EQ_disposition in any CBV spelling', async (t) => {
    t.same(await names('EQ_action=OBSERVE'), ['ship'])
    t.same(await names('EQ_action=ADD|DELETE'), ['commission', 'pack', 'sell', 'associate'])
    t.same(await names('EQ_action=DELETE'), [])
    for (const spelling of ['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'https://ref.gs1.org/cbv/BizStep-shipping', 'cbv:BizStep-shipping']) {
      t.same(await names(qs({ EQ_bizStep: spelling })), ['ship'], spelling)
    }
    t.same(await names('EQ_bizStep=commissioning|packing'), ['commission', 'pack', 'transform'])
    t.same(await names('EQ_bizStep=receiving'), [])
    t.same(await names('EQ_disposition=in_transit'), ['ship'], 'stored as a Web URI, asked as a bare word')
    t.same(await names(qs({ EQ_disposition: 'urn:epcglobal:cbv:disp:retail_sold' })), ['sell'])
    t.same(await names('EQ_disposition=damaged'), [])
  })

  t.test('EQ_persistentDisposition_set and _unset', async (t) => {
    t.same(await names('EQ_persistentDisposition_set=completeness_verified'), ['commission', 'ship'])
    t.same(await names('EQ_persistentDisposition_unset=completeness_inferred'), ['ship'])
    t.same(await names('EQ_persistentDisposition_unset=completeness_verified'), [], 'set is not unset')
    t.same(await names(qs({ EQ_persistentDisposition_set: 'urn:epcglobal:cbv:disp:completeness_verified' })), ['commission', 'ship'])
  })

  t.test('EQ_readPoint, EQ_bizLocation as EPC URN or Digital Link', async (t) => {
    t.same(await names(qs({ EQ_readPoint: farm })), ['commission', 'ship'], 'captured once as URN, once as Digital Link')
    t.same(await names(qs({ EQ_readPoint: farmDL })), ['commission', 'ship'])
    t.same(await names(qs({ EQ_readPoint: 'https://example.com/414/8934567000017' })), ['commission', 'ship'], 'any Digital Link host')
    t.same(await names(qs({ EQ_bizLocation: market })), ['pack'])
    t.same(await names(qs({ EQ_bizLocation: 'urn:epc:id:sgln:8934567.00009.0' })), [])
  })

  t.test('EQ_transformationID and EQ_eventID', async (t) => {
    t.same(await names(qs({ EQ_transformationID: transformation })), ['transform'])
    t.same(await names(qs({ EQ_transformationID: 'urn:uuid:00000000-0000-4000-8000-000000000000' })), [])
    const sell = events[4]!.eventID as string
    const pack = events[2]!.eventID as string
    t.same(await names(qs({ EQ_eventID: `${sell}|${pack}` })), ['pack', 'sell'])
    t.same(await names(qs({ EQ_eventID: 'urn:uuid:nothing' })), [])
  })

  t.test('MATCH_ parameters by role, with EPC URNs, Digital Links and patterns', async (t) => {
    t.same(await names(qs({ MATCH_epc: item('100') })), ['commission', 'ship'])
    t.same(await names(qs({ MATCH_epc: 'https://id.gs1.org/01/08934567123457/21/100' })), ['commission', 'ship'])
    t.same(await names(qs({ MATCH_epc: item('200') })), ['pack'], 'childEPCs count for MATCH_epc')
    t.same(await names(qs({ MATCH_epc: item('300') })), [], 'inputs do not')
    t.same(await names(qs({ MATCH_epc: 'urn:epc:idpat:sgtin:8934567.012345.*' })), ['commission', 'ship', 'pack'])
    t.same(await names(qs({ MATCH_epc: 'urn:epc:idpat:sgtin:8934567.*.*' })), ['commission', 'ship', 'pack', 'sell'])
    t.same(await names(qs({ MATCH_epc: 'urn:epc:idpat:sgtin:8934999.*.*' })), [])
    t.same(await names(qs({ MATCH_parentID: 'urn:epc:id:sscc:8934567.0000000001' })), ['pack'])
    t.same(await names(qs({ MATCH_parentID: 'urn:epc:idpat:sscc:8934567.*' })), ['pack', 'sell'])
    t.same(await names(qs({ MATCH_parentID: item('100') })), [])
    t.same(await names(qs({ MATCH_inputEPC: item('300') })), ['transform'])
    t.same(await names(qs({ MATCH_inputEPC: otherItem('400') })), [])
    t.same(await names(qs({ MATCH_outputEPC: otherItem('400') })), ['transform'])
    t.same(await names(qs({ MATCH_outputEPC: item('300') })), [])
    t.same(await names(qs({ MATCH_anyEPC: item('300') })), ['transform'])
    t.same(await names(qs({ MATCH_anyEPC: 'urn:epc:id:sscc:8934567.0000000002' })), ['sell'])
    t.same(await names(qs({ MATCH_anyEPC: 'urn:epc:id:giai:8934567.SENSOR9' })), ['associate'])
    t.same(await names(qs({ MATCH_anyEPC: lot7 })), [], 'classes are not EPCs')
    t.same(await names(qs({ MATCH_epcClass: lot7 })), ['ship', 'pack'], 'quantityList and childQuantityList')
    t.same(await names(qs({ MATCH_epcClass: lotA })), [], 'input quantities are not')
    t.same(await names(qs({ MATCH_epcClass: 'urn:epc:idpat:sgtin:8934567.012345.*' })), ['ship', 'pack'], 'a GTIN pattern covers its lots')
    t.same(await names(qs({ MATCH_inputEPCClass: lotA })), ['transform'])
    t.same(await names(qs({ MATCH_inputEPCClass: lotB })), [])
    t.same(await names(qs({ MATCH_outputEPCClass: lotB })), ['transform'])
    t.same(await names(qs({ MATCH_outputEPCClass: lotA })), [])
    t.same(await names(qs({ MATCH_anyEPCClass: `${lotA}|${lot7}` })), ['ship', 'pack', 'transform'])
    t.same(await names(qs({ MATCH_anyEPCClass: 'urn:epc:class:lgtin:8934567.012345.NONE' })), [])
  })

  t.test('several parameters are AND-ed', async (t) => {
    t.same(await names(qs({ EQ_bizStep: 'commissioning', EQ_readPoint: market })), ['transform'])
    t.same(await names(qs({ EQ_bizStep: 'commissioning', eventType: 'AggregationEvent' })), [])
    t.same(await names(qs({ MATCH_epc: item('100'), EQ_action: 'OBSERVE' })), ['ship'])
  })
})
