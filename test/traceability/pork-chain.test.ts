import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { canonicalVocabulary } from '../../src/epcis/canonical.js'
import type { LineageAnswer, RecallAnswer, StateAnswer } from '../../src/traceability/service.js'
import { epcisDocument, type Json } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import {
  CARCASS,
  CASE,
  FARM_LOT,
  key,
  packP01,
  packP02,
  packP02DigitalLink,
  PALLET,
  PARTY,
  PIG,
  PLACE,
  porkChain,
  PORK_LOT,
} from './pork-chain.js'

const chain = porkChain()
const sorted = (values: Iterable<string>) => [...values].sort()
const keys = (...epcs: string[]) => sorted(epcs.map(key))
const pork = (id: string) => id.includes(`/01/${key(packP01(1)).split('/')[4]}/21/`)

async function get<T>(app: FastifyInstance, path: string, query: Record<string, string>): Promise<T> {
  const response = await app.inject({ method: 'GET', url: `${path}?${new URLSearchParams(query)}` })
  if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${response.body}`)
  return response.json() as T
}

type Query = Record<string, string>
const lineage = (app: FastifyInstance, query: Query) => get<LineageAnswer>(app, '/traceability/lineage', query)
const recall = (app: FastifyInstance, query: Query) => get<RecallAnswer>(app, '/traceability/recall', query)
const state = (app: FastifyInstance, query: Query) => get<StateAnswer>(app, '/traceability/state', query)

function ofRole(answer: LineageAnswer, ...roles: string[]): string[] {
  return sorted(answer.nodes.filter((n) => roles.includes(n.role)).map((n) => n.id))
}

function node(answer: LineageAnswer, epc: string) {
  const found = answer.nodes.find((n) => n.id === key(epc))
  if (!found) throw new Error(`${epc} is not in the answer`)
  return found
}

function hasEdge(answer: LineageAnswer, from: string, to: string, relation: string): boolean {
  return answer.edges.some((e) => e.from === key(from) && e.to === key(to) && e.relation === relation)
}

t.test('a pork supply chain from two farms to two supermarkets', async (t) => {
  const app = await build(t)
  for (const document of chain.documents) {
    const job = await captureAndWait(app, document)
    t.equal(job.success, true, `captured: ${JSON.stringify(job.errors)}`)
  }

  t.test('upstream from a retail pack of lot P-01: exactly its lots, carcass lot, pigs and farms', async (t) => {
    const answer = await lineage(app, { epc: packP01(2), direction: 'upstream' })
    t.equal(answer.root, key(packP01(2)))
    t.same(
      ofRole(answer, 'root', 'lineage'),
      keys(packP01(2), PORK_LOT.P01, CARCASS.C01, PIG.A1, PIG.A2, PIG.A3, PIG.B1, FARM_LOT.FA2405, FARM_LOT.FB2405),
    )
    t.same(ofRole(answer, 'container'), keys(CASE.c1, PALLET.p1), 'only its own case and pallet, not the other cases')
    const pigs = new Set(keys(...Object.values(PIG)))
    const farms = new Set(answer.nodes.filter((n) => pigs.has(n.id)).map((n) => n.firstBizLocation!))
    t.same(sorted(farms), keys(PLACE.farmA, PLACE.farmB), 'the pigs were first seen on both farms')
    t.equal(node(answer, PIG.A1).firstBizLocationName, 'Trại heo Đồng Nai')
    t.equal(node(answer, packP01(2)).lot, key(PORK_LOT.P01), 'the ILMD lotNumber links the serial to its lot')
    t.equal(node(answer, packP01(2)).productName, 'Thịt heo xay 500 g', 'product name from the product class master data')
    t.equal(node(answer, packP01(2)).epcUrn, packP01(2))
    t.equal(node(answer, packP01(2)).digitalLink, key(packP01(2)))
    t.equal(node(answer, packP01(2)).kind, 'instance')
    t.equal(node(answer, PORK_LOT.P01).kind, 'class')
    t.equal(node(answer, PORK_LOT.P01).epcUrn, PORK_LOT.P01)
    t.equal(node(answer, CARCASS.C01).productName, 'Thân thịt heo')

    t.ok(hasEdge(answer, packP01(2), PORK_LOT.P01, 'member_of_lot'))
    t.ok(hasEdge(answer, CARCASS.C01, PORK_LOT.P01, 'transformed_into'))
    for (const pig of [PIG.A1, PIG.A2, PIG.A3, PIG.B1]) t.ok(hasEdge(answer, pig, CARCASS.C01, 'transformed_into'))
    t.ok(hasEdge(answer, PIG.A1, FARM_LOT.FA2405, 'member_of_lot'))
    t.ok(hasEdge(answer, PIG.B1, FARM_LOT.FB2405, 'member_of_lot'))
    t.ok(hasEdge(answer, packP01(2), CASE.c1, 'aggregated_into'))
    const onPallet = answer.edges.find((e) => e.from === key(CASE.c1) && e.to === key(PALLET.p1))
    t.equal(onPallet?.relation, 'aggregated_into')
    t.equal(onPallet?.untilEventID, chain.splitId, 'the split on receipt ends the pallet leg')

    const destinations = ofRole(answer, 'destination')
    t.ok(destinations.includes(key(PARTY.distributor)), 'the pallet shipment while the pack was on it')
    t.ok(destinations.includes(key(PLACE.supermarketA)), 'the case shipment')
    t.notOk(destinations.includes(key(PLACE.supermarketC)), 'not the pallet’s next trip, after the pack left it')
    t.notOk(destinations.includes(key(PLACE.supermarketB)), 'not the other cases’ trips')
    t.notOk(answer.nodes.some((n) => n.id === key(CASE.c3)), 'not the other cases on the same pallet')

    const timeOf = (id: string) => answer.edges.find((e) => e.eventID === id)?.eventTime
    const times = answer.events.map(timeOf).filter((time): time is string => time !== undefined)
    t.same(times, [...times].sort(), 'events in time order')
    t.equal(answer.truncated, false)
    t.same(answer.erroneousEvents, [])
  })

  t.test('upstream from a pack of lot P-02 given as a Digital Link: the transformationID joins two events', async (t) => {
    const answer = await lineage(app, { epc: packP02DigitalLink(5), direction: 'upstream' })
    t.equal(answer.root, packP02(5), 'the root is the canonical key (the lot qualifier is not part of a serial’s key)')
    t.same(
      ofRole(answer, 'root', 'lineage'),
      sorted([
        packP02(5),
        ...keys(PORK_LOT.P02, CARCASS.C02, PIG.A4, PIG.A5, PIG.B2, PIG.B3, FARM_LOT.FA2406, FARM_LOT.FB2405),
      ]),
    )
    t.ok(hasEdge(answer, PIG.A4, CARCASS.C02, 'transformed_into'), 'input of the first event, output of the second')
    t.equal(node(answer, packP02(5)).lot, key(PORK_LOT.P02), 'the Digital Link lot qualifier links the serial to its lot')
    t.same(ofRole(answer, 'container'), keys(CASE.c4, PALLET.p2))
  })

  t.test('downstream from farm lot FA-2406: exactly the packs made from it and the store they went to', async (t) => {
    const answer = await recall(app, { epc: FARM_LOT.FA2406 })
    const items = answer.items.map((i) => i.id)
    t.same(sorted(items.filter(pork)), sorted([1, 2, 3, 4, 5, 6].map(packP02)), 'retail packs of lot P-02 only')
    t.same(sorted(items.filter((i) => !pork(i))), keys(FARM_LOT.FA2406, PIG.A4, PIG.A5, CARCASS.C02))
    const packs = answer.items.filter((i) => pork(i.id))
    t.same(sorted(new Set(packs.map((i) => i.lastBizLocation!))), keys(PLACE.supermarketB), 'every pack is at supermarket B')
    t.ok(answer.locations.some((l) => l.id === key(PLACE.supermarketB) && l.name === 'Siêu thị B Quận 3'))
    t.same(
      answer.parties.map((p) => p.id).sort(),
      keys(PARTY.slaughterhouse, PARTY.processor, PARTY.distributor, PARTY.supermarketB),
      'parties to notify: not supermarket A (the wrong shipment was declared erroneous), not supermarket C',
    )
    const sold = answer.items.find((i) => i.id === packP02(1))!
    t.equal(sold.lastDisposition, canonicalVocabulary('disposition', 'retail_sold'))
    t.equal(sold.container, undefined, 'taken out of its case before the sale')
    t.equal(answer.items.find((i) => i.id === packP02(2))!.container, key(CASE.c3))
    t.equal(answer.items.find((i) => i.id === packP02(5))!.container, key(CASE.c4))
    t.equal(answer.items.find((i) => i.id === packP02(5))!.owningParty, key(PARTY.supermarketB))
    t.same(answer.erroneousEvents.map((e) => e.eventID), [chain.wrongShipmentId])
    t.same(answer.erroneousEvents[0]!.correctiveEventIDs, [chain.correctionId])
    t.equal(answer.erroneousEvents[0]!.reason, canonicalVocabulary('errorReason', 'incorrect_data'))
    t.equal(answer.truncated, false)
  })

  t.test('downstream from farm lot FA-2405: the packs of lot P-01 and supermarket A', async (t) => {
    const answer = await lineage(app, { epc: FARM_LOT.FA2405, direction: 'downstream' })
    const lineageNodes = ofRole(answer, 'root', 'lineage')
    t.same(lineageNodes.filter(pork), sorted([1, 2, 3, 4, 5, 6].map((n) => key(packP01(n)))))
    t.ok(lineageNodes.includes(key(PORK_LOT.P01)))
    t.notOk(lineageNodes.includes(key(CARCASS.C02)))
    const destinations = ofRole(answer, 'destination')
    t.ok(destinations.includes(key(PLACE.supermarketA)))
    t.notOk(destinations.includes(key(PLACE.supermarketB)), 'case 3 shared the pallet but is not made from FA-2405')
    t.notOk(destinations.includes(key(PLACE.supermarketC)))
    t.same(ofRole(answer, 'container'), keys(CASE.c1, CASE.c2, PALLET.p1))
  })

  t.test('downstream from farm lot FB-2405 reaches both pork lots', async (t) => {
    const answer = await recall(app, { epc: FARM_LOT.FB2405 })
    t.equal(answer.items.filter((i) => pork(i.id)).length, 12)
    const plants = keys(PLACE.slaughterhouse, PLACE.processor)
    const stores = answer.locations.map((l) => l.id).filter((id) => !plants.includes(id))
    t.same(stores.sort(), keys(PLACE.supermarketA, PLACE.supermarketB))
  })

  t.test('recall as CSV for an inspector', async (t) => {
    const response = await app.inject({
      method: 'GET',
      url: `/traceability/recall?epc=${encodeURIComponent(FARM_LOT.FA2406)}`,
      headers: { accept: 'text/csv' },
    })
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^text\/csv/)
    const lines = response.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n')
    t.equal(lines[0]!.split(',')[0], 'id')
    t.equal(lines.length, 1 + 10, 'a header and one row per affected item')
    t.ok(lines.some((l) => l.startsWith(`${packP02(2)},`) && l.includes('Siêu thị B Quận 3')))
  })

  t.test('state of a pack at several points in time', async (t) => {
    const pack = packP02DigitalLink(5)
    const made = await state(app, { epc: pack, at: '2024-05-03T07:00:00+07:00' })
    t.equal(made.bizLocation, key(PLACE.processor))
    t.equal(made.container, undefined)
    t.equal(made.lastEvent?.eventType, 'TransformationEvent')

    const palletised = await state(app, { epc: pack, at: '2024-05-03T09:30:00+07:00' })
    t.same(palletised.containers.map((c) => c.id), keys(CASE.c4, PALLET.p2), 'in case 4 on pallet 2')
    t.equal(palletised.lastEvent?.via, key(CASE.c4), 'the case going onto the pallet is the last event')

    const shipped = await state(app, { epc: pack, at: '2024-05-03T12:00:00+07:00' })
    t.equal(shipped.disposition, canonicalVocabulary('disposition', 'in_transit'))
    t.equal(shipped.lastEvent?.via, key(PALLET.p2))
    t.equal(shipped.owningParty, key(PARTY.distributor))

    const now = await state(app, { epc: pack })
    t.equal(now.bizLocation, key(PLACE.supermarketB))
    t.equal(now.bizLocationName, 'Siêu thị B Quận 3')
    t.equal(now.owningParty, key(PARTY.supermarketB))
    t.same(now.containers.map((c) => c.id), keys(CASE.c4, PALLET.p2))
    t.equal(now.productName, 'Thịt heo xay 500 g')
  })

  t.test('state across the pallet split and after the sale', async (t) => {
    const split = await state(app, { epc: packP01(1), at: '2024-05-04T09:00:00+07:00' })
    t.same(split.containers.map((c) => c.id), keys(CASE.c1), 'off the pallet once it was split')
    t.equal(split.bizLocation, key(PLACE.distributor))

    const later = await state(app, { epc: packP01(1) })
    t.equal(later.bizLocation, key(PLACE.supermarketA), 'pallet 1 going to supermarket C later does not move it')
    t.same(later.containers.map((c) => c.id), keys(CASE.c1))

    const sold = await state(app, { epc: packP02(1) })
    t.equal(sold.disposition, canonicalVocabulary('disposition', 'retail_sold'))
    t.same(sold.containers, [])
    t.equal(sold.lastEvent?.bizStep, canonicalVocabulary('bizStep', 'retail_selling'))

    const wrong = await state(app, { epc: CASE.c3 })
    t.equal(wrong.owningParty, key(PARTY.supermarketB), 'the erroneous shipment to supermarket A is skipped')
    t.same(wrong.erroneousEvents.map((e) => e.eventID), [chain.wrongShipmentId])
  })

  t.test('lineage as of an earlier time', async (t) => {
    const answer = await lineage(app, { epc: FARM_LOT.FA2406, direction: 'downstream', at: '2024-05-03T12:00:00+07:00' })
    const destinations = ofRole(answer, 'destination')
    t.ok(destinations.includes(key(PARTY.distributor)))
    t.notOk(destinations.includes(key(PARTY.supermarketB)), 'supermarket B received nothing yet')
    t.equal(answer.at, '2024-05-03T05:00:00.000Z')
  })

  t.test('both directions from the carcass lot', async (t) => {
    const answer = await lineage(app, { epc: CARCASS.C02 })
    t.equal(answer.direction, 'both')
    const lineageNodes = ofRole(answer, 'root', 'lineage')
    t.ok(lineageNodes.includes(key(FARM_LOT.FA2406)), 'upstream')
    t.ok(lineageNodes.includes(packP02(3)), 'downstream')
    t.notOk(lineageNodes.includes(key(PIG.A1)))
  })

  t.test('maxDepth cuts the walk and says so', async (t) => {
    const answer = await lineage(app, { epc: packP01(2), direction: 'upstream', maxDepth: '2' })
    t.equal(answer.truncated, true)
    t.same(answer.truncatedBy, ['maxDepth'])
    t.ok(answer.nodes.every((n) => n.depth <= 3))
    t.notOk(answer.nodes.some((n) => n.id === key(PIG.A1)))
  })

  // Last: it adds master data. Newer elements of other vocabulary types with the same ids say nothing.
  t.test('names come from the vocabulary type of each role, not from elements of other types', async (t) => {
    const typed = (type: string, elements: Array<[string, string | undefined]>) => ({
      type: `urn:epcglobal:epcis:vtype:${type}`,
      vocabularyElementList: elements.map(([id, name]) => ({
        id,
        attributes: name === undefined ? [] : [{ id: 'urn:epcglobal:cbv:mda#name', attribute: name }],
      })),
    })
    const document = (vocabularyList: Json[]) => epcisDocument([], [], { epcisMasterData: { vocabularyList } })
    t.ok((await captureAndWait(app, document([typed('Party', [[PARTY.supermarketB, 'Công ty Siêu thị B']])]))).success)
    const later = document([
      typed('ReadPoint', [[PLACE.farmA, undefined], [PLACE.supermarketB, undefined]]),
      typed('BusinessLocation', [[PARTY.supermarketB, undefined], ['urn:epc:idpat:sgtin:8930004.030001.*', undefined], [CARCASS.C01, undefined]]),
    ])
    t.ok((await captureAndWait(app, later)).success)

    const upstream = await lineage(app, { epc: packP01(2), direction: 'upstream' })
    t.equal(node(upstream, PIG.A1).firstBizLocationName, 'Trại heo Đồng Nai', 'BusinessLocation names a business location')
    t.equal(node(upstream, packP01(2)).productName, 'Thịt heo xay 500 g', 'EPCClass names a product')
    t.equal(node(upstream, CARCASS.C01).productName, 'Thân thịt heo')
    const recalled = await recall(app, { epc: FARM_LOT.FA2406 })
    t.equal(recalled.locations.find((l) => l.id === key(PLACE.supermarketB))?.name, 'Siêu thị B Quận 3')
    t.equal(recalled.parties.find((p) => p.id === key(PARTY.supermarketB))?.name, 'Công ty Siêu thị B', 'Party names a party')
    const now = await state(app, { epc: packP02(3) })
    t.equal(now.bizLocationName, 'Siêu thị B Quận 3')
    t.equal(now.owningPartyName, 'Công ty Siêu thị B')
  })
})
