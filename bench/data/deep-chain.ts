import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { captureDocument } from './object-events.js'

/**
 * A product with a long history, captured through POST /capture like any client's: a farm lot goes
 * through `stages` processing plants; at each one it is shipped in, an ingredient lot from a supplier is
 * added, and a TransformationEvent makes the next lot; the last lot is packed into serialised retail packs
 * (lot in ILMD), cased, palletised, shipped to a distributor, split, shipped to a store and sold. Upstream
 * from a pack, the walk has `stages` steps (pack -> lot -> previous lot -> ... -> farm lot).
 */

type Json = Record<string, unknown>

const ZONE = '+07:00'
const PACK_ITEM = '020001'
const pad = (n: number, width: number) => String(n).padStart(width, '0')
const site = (n: number) => `urn:epc:id:sgln:8939300.${pad(n, 5)}.0`
const party = (n: number) => `urn:epc:id:pgln:8939300.${pad(n, 5)}`

export interface DeepChain {
  document: Json
  /** The retail pack to trace upstream (EPC URN). */
  pack: string
  /** Canonical keys of every lot the upstream answer must reach: the processing lots and the ingredient lots. */
  lots: string[]
  events: number
}

export function deepChain(stages: number): DeepChain {
  let hour = 0
  const time = () => {
    const ms = Date.parse('2024-02-01T00:00:00+07:00') + hour++ * 3_600_000
    return new Date(ms + 7 * 3_600_000).toISOString().replace('Z', ZONE)
  }
  let id = 0
  const event = (type: string, fields: Json): Json => ({
    type,
    eventID: `urn:uuid:6d2f0000-0000-4000-8000-${pad(++id, 12)}`,
    eventTime: time(),
    eventTimeZoneOffset: ZONE,
    ...fields,
  })
  const at = (n: number) => ({ readPoint: { id: site(n) }, bizLocation: { id: site(n) } })
  const ship = (from: number, to: number, what: Json) =>
    event('ObjectEvent', {
      ...what,
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'in_transit',
      readPoint: { id: site(from) },
      sourceList: [{ type: 'owning_party', source: party(from) }, { type: 'location', source: site(from) }],
      destinationList: [{ type: 'owning_party', destination: party(to) }, { type: 'location', destination: site(to) }],
    })
  const quantity = (epcClass: string) => ({ epcClass, quantity: 100, uom: 'KGM' })
  const commission = (what: Json, place: number) =>
    event('ObjectEvent', { ...what, action: 'ADD', bizStep: 'commissioning', disposition: 'active', ...at(place) })

  // Stage lots: the last one has the packs' GTIN, so that the packs' ILMD lotNumber names it.
  const lot = (stage: number) =>
    stage === stages - 1
      ? `urn:epc:class:lgtin:8939200.${PACK_ITEM}.D${stage}`
      : `urn:epc:class:lgtin:8939200.0${pad(stage + 100, 5)}.D${stage}`
  const ingredient = (stage: number) => `urn:epc:class:lgtin:8939201.0${pad(stage + 100, 5)}.I${stage}`

  const events: Json[] = [commission({ quantityList: [quantity(lot(0))] }, 1)]
  for (let stage = 1; stage < stages; stage++) {
    const plant = stage + 1
    events.push(
      ship(stage, plant, { quantityList: [quantity(lot(stage - 1))] }),
      commission({ quantityList: [quantity(ingredient(stage))] }, 500 + stage),
      event('TransformationEvent', {
        inputQuantityList: [quantity(lot(stage - 1)), quantity(ingredient(stage))],
        outputQuantityList: [quantity(lot(stage))],
        bizStep: 'commissioning',
        ...at(plant),
      }),
    )
  }
  const packer = stages
  const distributor = 900
  const store = 901
  const packs = Array.from({ length: 20 }, (_, i) => `urn:epc:id:sgtin:8939200.${PACK_ITEM}.${1000 + i}`)
  const caseId = 'urn:epc:id:sscc:8939200.1000000001'
  const pallet = 'urn:epc:id:sscc:8939200.2000000001'
  const aggregation = (parentID: string, childEPCs: string[], action: string, place: number) => {
    const bizStep = action === 'ADD' ? 'packing' : 'unpacking'
    return event('AggregationEvent', { parentID, childEPCs, action, bizStep, ...at(place) })
  }
  events.push(
    commission({ epcList: packs, ilmd: { 'cbvmda:lotNumber': `D${stages - 1}` } }, packer),
    aggregation(caseId, packs, 'ADD', packer),
    aggregation(pallet, [caseId], 'ADD', packer),
    ship(packer, distributor, { epcList: [pallet] }),
    aggregation(pallet, [], 'DELETE', distributor),
    ship(distributor, store, { epcList: [caseId] }),
    event('ObjectEvent', {
      epcList: [packs[0]],
      action: 'OBSERVE',
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      ...at(store),
    }),
  )
  const lots = [
    ...Array.from({ length: stages }, (_, s) => lot(s)),
    ...Array.from({ length: stages - 1 }, (_, s) => ingredient(s + 1)),
  ]
  return { document: captureDocument(events), pack: packs[0]!, lots: lots.map(canonicalIdentifier), events: events.length }
}
