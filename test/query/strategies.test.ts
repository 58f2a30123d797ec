/**
 * A filter on a side table (identifiers, fields, sensors, ...) drives a query by listing its few
 * candidate events first; with more candidates than the limit, the planner decides instead. Both
 * ways must give the same pages.
 */
import t from 'tap'
import { paramsFromQueryString } from '../../src/query/params.js'
import { queryEvents, type QuerySettings } from '../../src/query/service.js'
import { build, captureAndWait, jsonFixture } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'

const NS = 'https://ns.example.com/epcis/'

const events: Json[] = Array.from({ length: 24 }, (_, i) => ({
  type: 'ObjectEvent',
  eventTime: `2024-05-${String(1 + (i % 20)).padStart(2, '0')}T06:00:00.000+07:00`,
  eventTimeZoneOffset: '+07:00',
  epcList: [`urn:epc:id:sgtin:8934567.012345.${i % 6}`],
  quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934567.012345.L1', quantity: i, uom: i % 2 ? 'KGM' : 'GRM' }],
  action: 'OBSERVE',
  bizStep: i % 3 ? 'shipping' : 'receiving',
  'ex:rank': (i * 7) % 24,
  sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: i / 2, uom: 'CEL' }] }],
}))

const QUERIES = [
  'MATCH_epc=urn:epc:id:sgtin:8934567.012345.2',
  'MATCH_epc=urn:epc:idpat:sgtin:8934567.012345.*&EQ_bizStep=shipping',
  'GT_ex:rank=10&orderBy=eventTime&orderDirection=ASC',
  'GT_ex:rank=3&orderBy=ex:rank',
  'EQ_type=Temperature&GE_value_CEL=4&orderBy=recordTime',
  'GE_quantity_KGM=0.005&LT_eventTime=2024-05-15T00:00:00Z',
  'MATCH_epcClass=urn:epc:class:lgtin:8934567.012345.L1&orderBy=eventTime&eventCountLimit=7',
]

t.test('listing candidates first and letting the planner decide give the same pages', async (t) => {
  const app = await build(t)
  t.ok((await captureAndWait(app, epcisDocument(events, [{ ex: NS }]))).success)
  await captureAndWait(app, jsonFixture('gs1/epcis-examples/json/WithSensorData/SensorDataExample1.jsonld'))
  const walk = async (query: string, settings: QuerySettings) => {
    const ids: number[] = []
    let token: string | undefined
    do {
      const params = paramsFromQueryString(Object.fromEntries(new URLSearchParams(`${query}&perPage=2`)))
      if (token) params.nextPageToken = [token]
      const page = await queryEvents(app.db, app.pageTokenKey, { params, scope: 'events', visibility: undefined }, settings)
      ids.push(...page.rows.map((r) => r.id))
      token = page.nextPageToken
    } while (token)
    return ids
  }
  const base = { defaultPerPage: 100, maxPerPage: 1000, maxCost: 1e9 }
  for (const query of QUERIES) {
    const listed = await walk(query, { ...base, candidateLimit: 10_000 })
    const planned = await walk(query, { ...base, candidateLimit: 0 })
    t.ok(listed.length > 0, `${query}: finds events`)
    t.same(planned, listed, query)
  }
})
