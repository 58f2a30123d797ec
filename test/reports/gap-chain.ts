/**
 * The pork chain of the report tests, each step captured by the organisation that took it (its own API key), with
 * gaps put in on purpose:
 * - the distributor never records shipping packs 3 and 4 of lot P-01 to supermarket B (supermarket B records
 *   receiving them from the distributor): missing-shipping, distributor;
 * - supermarket B never records receiving the packs of lot P-02 the distributor shipped to it: missing-receiving,
 *   supermarket B;
 * - farm B's lot FB-2405 has no commissioning: the pack of P-02 sold at supermarket B traces back (P-02 <- carcass
 *   C-02 <- FB-2405) to no origin: no-origin, farm B.
 * - supermarket A is under the `review` publication policy: its events are held for a reviewer, who rejects its sale.
 * Everything else links up (and passes the publication checks). The processor also records a recall of lot P-01. Categories: meat (the processor's
 * prefix and the carcass GTIN) and OCOP (a GPC brick the P-02 product's master data names).
 */
import type { FastifyInstance } from 'fastify'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { epcisDocument, type Json } from '../factories.js'
import { captureAndWait } from '../helper.js'
import { bearer, createKey, post } from '../security/fixtures.js'

const ZONE = '+07:00'
const at = (day: number, time: string) => `2024-05-${String(day).padStart(2, '0')}T${time}:00.000${ZONE}`
export const PERIOD = { from: '2024-05-01T00:00:00+07:00', to: '2024-06-01T00:00:00+07:00' }

export const ORGS = {
  farmA: { prefix: '8930001', name: 'Trại heo Đồng Nai' },
  farmB: { prefix: '8930002', name: 'Trại heo Bình Dương' },
  slaughterhouse: { prefix: '8930003', name: 'Lò mổ Vissan' },
  processor: { prefix: '8930004', name: 'Xưởng chế biến Thủ Đức' },
  distributor: { prefix: '8930005', name: 'Công ty CP Phân phối Tân Bình' },
  supermarketA: { prefix: '8930006', name: 'Siêu thị A Quận 1' },
  supermarketB: { prefix: '8930007', name: 'Siêu thị B Quận 3' },
} as const
export type Org = keyof typeof ORGS

const place = (org: Org) => `urn:epc:id:sgln:${ORGS[org].prefix}.00001.0`
const party = (org: Org) => `urn:epc:id:pgln:${ORGS[org].prefix}.00000`

export const LOT = {
  FA: 'urn:epc:class:lgtin:8930001.010001.FA-2405',
  FB: 'urn:epc:class:lgtin:8930002.010001.FB-2405',
  C01: 'urn:epc:class:lgtin:8930003.020001.C-01',
  C02: 'urn:epc:class:lgtin:8930003.020001.C-02',
  P01: 'urn:epc:class:lgtin:8930004.030001.P-01',
  P02: 'urn:epc:class:lgtin:8930004.030002.P-02',
} as const
export const packP01 = (n: number) => `urn:epc:id:sgtin:8930004.030001.${100 + n}`
export const packP02 = (n: number) => `urn:epc:id:sgtin:8930004.030002.${200 + n}`
export const key = (epc: string) => canonicalIdentifier(epc)
export const gtinOf = (epc: string) => key(epc).split('/')[4]!
export const CARCASS_GTIN = gtinOf(LOT.C01)
export const P02_GTIN = gtinOf(LOT.P02)
export const OCOP_BRICK = '10005769'

let counter = 0
const eventId = () => `urn:uuid:00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`
const kg = (epcClass: string, quantity: number) => ({ epcClass, quantity, uom: 'KGM' })
const where = (org: Org) => ({ readPoint: { id: place(org) }, bizLocation: { id: place(org) } })
const transfer = (from: Org, to: Org) => ({
  sourceList: [{ type: 'owning_party', source: party(from) }, { type: 'location', source: place(from) }],
  destinationList: [{ type: 'owning_party', destination: party(to) }, { type: 'location', destination: place(to) }],
})

function event(type: string, time: string, fields: Json): Json {
  return { type, eventID: eventId(), eventTime: time, eventTimeZoneOffset: ZONE, ...fields }
}
const what = (items: string[] | Json[]) => (typeof items[0] === 'string' ? { epcList: items } : { epcList: [], quantityList: items })
const ship = (time: string, from: Org, to: Org, items: string[] | Json[], po?: string) =>
  event('ObjectEvent', time, {
    ...what(items), action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', readPoint: { id: place(from) }, ...transfer(from, to),
    ...(po ? { bizTransactionList: [{ type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${ORGS[to].prefix}000004:${po}` }] } : {}),
  })
const receive = (time: string, from: Org, to: Org, items: string[] | Json[]) =>
  event('ObjectEvent', time, { ...what(items), action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress', ...where(to), ...transfer(from, to) })
const transform = (time: string, org: Org, input: Json, output: Json) =>
  event('TransformationEvent', time, {
    inputQuantityList: [input], outputQuantityList: [output], bizStep: org === 'slaughterhouse' ? 'killing' : 'creating_class_instance', ...where(org),
  })
const commissionPacks = (time: string, org: Org, packs: string[], lot: string) =>
  event('ObjectEvent', time, { epcList: packs, action: 'ADD', bizStep: 'commissioning', disposition: 'active', ...where(org), ilmd: { 'cbvmda:lotNumber': lot } })
const sell = (time: string, org: Org, pack: string) =>
  event('ObjectEvent', time, { epcList: [pack], action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold', ...where(org) })

/** Each organisation's events, in the order they are captured. */
export function gapChain(): Record<Org, Json[]> {
  return {
    farmA: [
      event('ObjectEvent', at(1, '08:00'), { ...what([kg(LOT.FA, 300)]), action: 'ADD', bizStep: 'commissioning', disposition: 'active', ...where('farmA') }),
      ship(at(1, '09:00'), 'farmA', 'slaughterhouse', [kg(LOT.FA, 300)]),
    ],
    // Gap: farm B ships its lot without ever commissioning it.
    farmB: [ship(at(1, '09:30'), 'farmB', 'slaughterhouse', [kg(LOT.FB, 250)])],
    slaughterhouse: [
      receive(at(1, '12:00'), 'farmA', 'slaughterhouse', [kg(LOT.FA, 300)]),
      receive(at(1, '12:05'), 'farmB', 'slaughterhouse', [kg(LOT.FB, 250)]),
      transform(at(2, '06:00'), 'slaughterhouse', kg(LOT.FA, 300), kg(LOT.C01, 220)),
      transform(at(2, '06:30'), 'slaughterhouse', kg(LOT.FB, 250), kg(LOT.C02, 180)),
      ship(at(2, '08:00'), 'slaughterhouse', 'processor', [kg(LOT.C01, 220), kg(LOT.C02, 180)], 'PO-C'),
    ],
    processor: [
      receive(at(2, '11:00'), 'slaughterhouse', 'processor', [kg(LOT.C01, 220), kg(LOT.C02, 180)]),
      transform(at(3, '06:00'), 'processor', kg(LOT.C01, 220), kg(LOT.P01, 2)),
      commissionPacks(at(3, '06:30'), 'processor', [1, 2, 3, 4].map(packP01), 'P-01'),
      transform(at(3, '06:40'), 'processor', kg(LOT.C02, 180), kg(LOT.P02, 1)),
      commissionPacks(at(3, '06:50'), 'processor', [1, 2].map(packP02), 'P-02'),
      ship(at(3, '10:00'), 'processor', 'distributor', [...[1, 2, 3, 4].map(packP01), ...[1, 2].map(packP02)], 'PO-D'),
      event('ObjectEvent', at(10, '09:00'), { ...what([kg(LOT.P01, 2)]), action: 'OBSERVE', bizStep: 'holding', disposition: 'recalled', ...where('processor') }),
    ],
    distributor: [
      receive(at(4, '08:00'), 'processor', 'distributor', [...[1, 2, 3, 4].map(packP01), ...[1, 2].map(packP02)]),
      ship(at(4, '10:00'), 'distributor', 'supermarketA', [1, 2].map(packP01), 'PO-A'),
      // Gap: no shipping of packs 3 and 4 of P-01 to supermarket B.
      ship(at(4, '10:10'), 'distributor', 'supermarketB', [1, 2].map(packP02), 'PO-B'),
    ],
    supermarketA: [receive(at(4, '11:00'), 'distributor', 'supermarketA', [1, 2].map(packP01)), sell(at(5, '15:00'), 'supermarketA', packP01(1))],
    // Gap: supermarket B receives the P-01 packs but never the P-02 packs it was shipped.
    supermarketB: [
      receive(at(4, '11:30'), 'distributor', 'supermarketB', [3, 4].map(packP01)),
      sell(at(5, '16:00'), 'supermarketB', packP01(3)),
      sell(at(5, '16:30'), 'supermarketB', packP02(1)),
    ],
  }
}

export interface GapWorld {
  /** an authority's key (the province), an auditor's, and a key that may only query */
  authority: string
  auditor: string
  queryOnly: string
  /** eventIDs of the events that show the gaps */
  unmatchedReceipt: string
  unmatchedShipment: string
  /** supermarket A's events (review policy): the receipt held, the sale rejected by a reviewer */
  heldReceipt: string
  rejectedSale: string
  /** supermarket B sells a P-02 pack it never recorded receiving: the publication checks hold it (foreign-identifier) */
  unreceivedSale: string
}

/** Registers the organisations and the categories, captures every organisation's events with its own key. */
export async function loadGapChain(app: FastifyInstance): Promise<GapWorld> {
  for (const [id, org] of Object.entries(ORGS)) await post(app, '/admin/organizations', { id, name: org.name, identifiers: [org.prefix] })
  await post(app, '/admin/organizations', { id: 'province', name: 'Sở Nông nghiệp và Môi trường', identifiers: [] })
  const review = await app.inject({ method: 'PATCH', url: '/admin/organizations/supermarketA', payload: { publicationPolicy: 'review' } })
  if (review.statusCode !== 200) throw new Error(`PATCH answered ${review.statusCode}: ${review.body}`)
  // The places are known in master data, so that the publication checks hold nothing but supermarket A's events.
  const places = epcisDocument([], [], {
    epcisMasterData: {
      vocabularyList: [
        {
          type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
          vocabularyElementList: (Object.keys(ORGS) as Org[]).map((org) => ({
            id: place(org),
            attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: ORGS[org].name }],
          })),
        },
      ],
    },
  })
  const named = await captureAndWait(app, places)
  if (!named.success) throw new Error(`master data: ${JSON.stringify(named.errors)}`)
  const chain = gapChain()
  for (const org of Object.keys(ORGS) as Org[]) {
    const { key: orgKey } = await createKey(app, org, ['capture'])
    const job = await captureAndWait(app, epcisDocument(chain[org]), bearer(orgKey))
    if (!job.success) throw new Error(`${org}: capture failed: ${JSON.stringify(job.errors)}`)
  }
  // A reviewer rejects supermarket A's sale; its receipt stays held.
  const rejection = await app.inject({
    method: 'POST',
    url: '/review/decisions',
    payload: { eventIDs: [chain.supermarketA[1]!.eventID as string], decision: 'reject', comment: 'Thiếu hóa đơn bán lẻ' },
  })
  if (rejection.statusCode >= 300) throw new Error(`POST /review/decisions answered ${rejection.statusCode}: ${rejection.body}`)
  const put = async (url: string, body: Json) => {
    const response = await app.inject({ method: 'PUT', url, payload: body })
    if (response.statusCode >= 300) throw new Error(`PUT ${url} answered ${response.statusCode}: ${response.body}`)
  }
  await put(`/vocabularies/${encodeURIComponent('urn:epcglobal:epcis:vtype:EPCClass')}/${encodeURIComponent(`https://id.gs1.org/01/${P02_GTIN}`)}`, {
    attributes: [
      { id: 'https://gs1.org/voc/gpcCategoryCode', attribute: OCOP_BRICK },
      { id: 'urn:epcglobal:cbv:mda#name', attribute: 'Chả lụa Thủ Đức (OCOP 4 sao)' },
    ],
  })
  await put('/admin/product-categories/meat', { name: { vi: 'Thịt', en: 'Meat' }, companyPrefixes: ['8930004'], gtins: [CARCASS_GTIN] })
  await put('/admin/product-categories/ocop', { name: { vi: 'Sản phẩm OCOP', en: 'OCOP products' }, gpcBricks: [OCOP_BRICK] })
  return {
    authority: (await createKey(app, 'province', ['authority'])).key,
    auditor: (await createKey(app, 'province', ['auditor'])).key,
    queryOnly: (await createKey(app, 'province', ['query'])).key,
    unmatchedReceipt: chain.supermarketB[0]!.eventID as string,
    unmatchedShipment: chain.distributor[2]!.eventID as string,
    heldReceipt: chain.supermarketA[0]!.eventID as string,
    rejectedSale: chain.supermarketA[1]!.eventID as string,
    unreceivedSale: chain.supermarketB[2]!.eventID as string,
  }
}
