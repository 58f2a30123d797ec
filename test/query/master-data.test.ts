import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { eventId, get, namesOf, qs } from './query-helper.js'

const NS = 'https://ns.example.com/epcis/'
const LOCATION = 'urn:epcglobal:epcis:vtype:BusinessLocation'
const READ_POINT = 'urn:epcglobal:epcis:vtype:ReadPoint'
const farm = 'urn:epc:id:sgln:8934567.00001.0'
const barn = 'urn:epc:id:sgln:8934567.00001.1'
const barnDL = 'https://id.gs1.org/414/8934567000017/254/1'
const pen = 'urn:epc:id:sgln:8934567.00001.2'
const market = 'urn:epc:id:sgln:8934567.00002.0'
const drying = `${NS}bizstep/drying`
const supplier = 'urn:epc:id:pgln:8934567.00000'

const element = (id: string, attributes: Array<[string, unknown]>, children: string[] = []) => ({
  id,
  attributes: attributes.map(([attributeId, attribute]) => ({ id: attributeId, attribute })),
  ...(children.length ? { children } : {}),
})

const places = () => [
  element(farm, [['urn:epcglobal:cbv:mda#sst', '201'], ['urn:epcglobal:cbv:mda#countryCode', 'VN']], [barnDL]),
  element(barn, [['urn:epcglobal:cbv:mda#sst', '202']], [pen]),
  element(pen, [['urn:epcglobal:cbv:mda#name', 'Chuồng 2']]),
]

const masterData = (marketAttributes: Array<[string, unknown]>) => ({
  epcisMasterData: {
    vocabularyList: [
      { type: LOCATION, vocabularyElementList: [...places(), element(market, marketAttributes)] },
      { type: READ_POINT, vocabularyElementList: places() },
      { type: 'urn:epcglobal:epcis:vtype:BusinessStep', vocabularyElementList: [element(drying, [[`${NS}method`, 'sun']])] },
      { type: 'urn:epcglobal:epcis:vtype:Party', vocabularyElementList: [element(supplier, [['ex:certified', 1]])] },
    ],
  },
})

const at = (name: string, place: string, extra: Json = {}): Json => ({
  type: 'ObjectEvent',
  eventID: eventId(name),
  eventTime: '2024-05-01T06:00:00.000+07:00',
  eventTimeZoneOffset: '+07:00',
  epcList: ['urn:epc:id:sgtin:8934567.012345.1'],
  action: 'OBSERVE',
  readPoint: { id: place },
  bizLocation: { id: place },
  ...extra,
})

t.test('master data: WD_ through the location hierarchy, HASATTR_ and EQ_ATTR_', async (t) => {
  const app = await build(t)
  const events = [
    at('farm', farm),
    at('barn', barnDL),
    at('pen', pen),
    at('market', market),
    at('dried', market, { bizStep: drying, 'ex:supplier': supplier }),
  ]
  t.ok((await captureAndWait(app, epcisDocument(events, [{ ex: NS }], masterData([['cbvmda:sst', '301']])))).success)
  // A newer version of the market's master data without the sst attribute: the newest version counts.
  t.ok((await captureAndWait(app, epcisDocument([], [{ ex: NS }], masterData([['cbvmda:name', 'Chợ']])))).success)

  const names = async (query: string) => {
    const answer = await get(app, `/events?${query}`)
    t.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    return namesOf(answer)
  }

  t.test('WD_readPoint and WD_bizLocation include direct and indirect children', async (t) => {
    t.same(await names(qs({ WD_bizLocation: farm })), ['farm', 'barn', 'pen'])
    t.same(await names(qs({ WD_readPoint: barn })), ['barn', 'pen'], 'a child written as Digital Link, asked as URN')
    t.same(await names(qs({ WD_readPoint: pen })), ['pen'])
    t.same(await names(qs({ WD_bizLocation: market })), ['market', 'dried'])
    t.same(await names(qs({ WD_bizLocation: 'urn:epc:id:sgln:8934567.00009.0' })), [])
    t.same(await names(qs({ EQ_bizLocation: farm })), ['farm'], 'EQ_ does not descend')
  })

  t.test('HASATTR_ on locations and other vocabularies, attribute names in any spelling', async (t) => {
    t.same(await names(qs({ HASATTR_bizLocation: 'urn:epcglobal:cbv:mda#sst' })), ['farm', 'barn'], 'not the market any more')
    t.same(await names(qs({ HASATTR_readPoint: 'cbvmda:sst' })), ['farm', 'barn'])
    t.same(await names(qs({ HASATTR_bizLocation: 'urn:epcglobal:cbv:mda#countryCode|urn:epcglobal:cbv:mda#name' })), [
      'farm',
      'pen',
      'market',
      'dried',
    ])
    t.same(await names(qs({ HASATTR_bizLocation: 'urn:epcglobal:cbv:mda#ssd' })), [])
    t.same(await names(qs({ HASATTR_bizStep: 'ex:method' })), ['dried'])
    t.same(await names(qs({ 'HASATTR_ex:supplier': 'ex:certified' })), ['dried'], 'an extension field holding a vocabulary element')
  })

  t.test('EQ_ATTR_<field>_<attribute>', async (t) => {
    t.same(await names(qs({ 'EQ_ATTR_bizLocation_urn:epcglobal:cbv:mda#sst': '202' })), ['barn'])
    t.same(await names(qs({ 'EQ_ATTR_readPoint_cbvmda:sst': '201|202' })), ['farm', 'barn'])
    t.same(await names(qs({ 'EQ_ATTR_bizLocation_cbvmda:sst': '301' })), [], 'the newest version has no sst')
    t.same(await names(qs({ 'EQ_ATTR_bizLocation_cbvmda:name': 'Chợ' })), ['market', 'dried'])
    t.same(await names(qs({ 'EQ_ATTR_bizStep_ex:method': 'sun' })), ['dried'])
    t.same(await names(qs({ 'EQ_ATTR_bizStep_ex:method': 'oven' })), [])
    t.same(await names(qs({ 'EQ_ATTR_ex:supplier_ex:certified': '1' })), ['dried'])
  })
})

t.test('master data of a field is the element of that field\'s vocabulary type', async (t) => {
  const app = await build(t)
  const shop = 'urn:epc:id:sgln:8934567.00003.0'
  const shelf = 'urn:epc:id:sgln:8934567.00003.1'
  const dock = 'urn:epc:id:sgln:8934567.00004.0'
  const sorting = `${NS}bizstep/sorting`
  const events = [at('shop', shop), at('shelf', shelf), at('dock', dock, { bizStep: sorting })]
  const first = {
    epcisMasterData: {
      vocabularyList: [
        { type: LOCATION, vocabularyElementList: [element(shop, [['cbvmda:sst', '201']], [shelf])] },
        { type: READ_POINT, vocabularyElementList: [element(dock, [['cbvmda:sst', '305']], [shelf])] },
        { type: 'urn:epcglobal:epcis:vtype:BusinessStep', vocabularyElementList: [element(sorting, [[`${NS}method`, 'hand']])] },
      ],
    },
  }
  // Captured later, so newest by id: elements of other types with the same ids and no attributes or children.
  const later = {
    epcisMasterData: {
      vocabularyList: [
        { type: READ_POINT, vocabularyElementList: [element(shop, [])] },
        { type: LOCATION, vocabularyElementList: [element(dock, [])] },
        { type: 'urn:epcglobal:epcis:vtype:Disposition', vocabularyElementList: [element(sorting, [])] },
      ],
    },
  }
  t.ok((await captureAndWait(app, epcisDocument(events, [{ ex: NS }], first))).success)
  t.ok((await captureAndWait(app, epcisDocument([], [{ ex: NS }], later))).success)

  const names = async (query: Record<string, string>) => {
    const answer = await get(app, `/events?${qs(query)}`)
    t.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300))
    return namesOf(answer)
  }
  t.same(await names({ HASATTR_bizLocation: 'cbvmda:sst' }), ['shop'], 'the BusinessLocation element, not the newer ReadPoint one')
  t.same(await names({ 'EQ_ATTR_bizLocation_cbvmda:sst': '201' }), ['shop'])
  t.same(await names({ 'EQ_ATTR_bizLocation_cbvmda:sst': '305' }), [], 'a ReadPoint attribute is not the location\'s')
  t.same(await names({ HASATTR_readPoint: 'cbvmda:sst' }), ['dock'], 'the ReadPoint element, not the newer BusinessLocation one')
  t.same(await names({ 'EQ_ATTR_readPoint_cbvmda:sst': '305' }), ['dock'])
  t.same(await names({ 'EQ_ATTR_readPoint_cbvmda:sst': '201' }), [])
  t.same(await names({ WD_bizLocation: shop }), ['shop', 'shelf'], 'children of the BusinessLocation element')
  t.same(await names({ WD_bizLocation: dock }), ['dock'], 'the ReadPoint hierarchy is not the location hierarchy')
  t.same(await names({ WD_readPoint: dock }), ['shelf', 'dock'], 'children of the ReadPoint element')
  t.same(await names({ WD_readPoint: shop }), ['shop'])
  t.same(await names({ HASATTR_bizStep: 'ex:method' }), ['dock'], 'the BusinessStep element, not the newer Disposition one')
  t.same(await names({ 'EQ_ATTR_bizStep_ex:method': 'hand' }), ['dock'])
})
