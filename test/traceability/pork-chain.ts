/**
 * A realistic pork chain for the traceability tests: pigs from two farms (three farm lots), a slaughterhouse
 * turning them into two carcass lots (one TransformationEvent, and one transformation spread over two events
 * sharing a transformationID), a processor cutting the carcass lots into packaged pork (lot P-01 commissioned
 * with an ILMD lotNumber, lot P-02 written as Digital Links with a lot qualifier), four cases on two returnable
 * pallets (GRAI), shipping to a distributor, one pallet split on receipt, cases shipped on to two supermarkets
 * (one shipment declared erroneous and corrected), a pack sold, and the empty pallet re-used for another store.
 */
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { epcisDocument, type Json } from '../factories.js'

const ZONE = '+07:00'
const at = (day: number, time: string) => `2024-05-0${day}T${time}:00.000${ZONE}`

let eventCounter = 0
const nextEventId = () => `urn:uuid:00000000-0000-4000-8000-${String(++eventCounter).padStart(12, '0')}`

export const PLACE = {
  farmA: 'urn:epc:id:sgln:8930001.00001.0',
  farmB: 'urn:epc:id:sgln:8930002.00001.0',
  slaughterhouse: 'urn:epc:id:sgln:8930003.00001.0',
  processor: 'urn:epc:id:sgln:8930004.00001.0',
  distributor: 'urn:epc:id:sgln:8930005.00001.0',
  supermarketA: 'urn:epc:id:sgln:8930006.00001.0',
  supermarketB: 'urn:epc:id:sgln:8930007.00001.0',
  supermarketC: 'urn:epc:id:sgln:8930008.00001.0',
} as const

export const PARTY = {
  farmA: 'urn:epc:id:pgln:8930001.00000',
  farmB: 'urn:epc:id:pgln:8930002.00000',
  slaughterhouse: 'urn:epc:id:pgln:8930003.00000',
  processor: 'urn:epc:id:pgln:8930004.00000',
  distributor: 'urn:epc:id:pgln:8930005.00000',
  supermarketA: 'urn:epc:id:pgln:8930006.00000',
  supermarketB: 'urn:epc:id:pgln:8930007.00000',
  supermarketC: 'urn:epc:id:pgln:8930008.00000',
} as const

type Site = keyof typeof PLACE

const pigA = (n: number) => `urn:epc:id:sgtin:8930001.010001.A${n}`
const pigB = (n: number) => `urn:epc:id:sgtin:8930002.010001.B${n}`
export const PIG = {
  A1: pigA(1), A2: pigA(2), A3: pigA(3), A4: pigA(4), A5: pigA(5),
  B1: pigB(1), B2: pigB(2), B3: pigB(3),
} as const

/** Farm lots as the ILMD states them; their keys are the LGTIN of the farm's pig GTIN and the lot number. */
export const FARM_LOT = {
  FA2405: 'urn:epc:class:lgtin:8930001.010001.FA-2405',
  FA2406: 'urn:epc:class:lgtin:8930001.010001.FA-2406',
  FB2405: 'urn:epc:class:lgtin:8930002.010001.FB-2405',
} as const

export const CARCASS = {
  C01: 'urn:epc:class:lgtin:8930003.020001.C-01',
  C02: 'urn:epc:class:lgtin:8930003.020001.C-02',
} as const

export const PORK_LOT = {
  P01: 'urn:epc:class:lgtin:8930004.030001.P-01',
  P02: 'urn:epc:class:lgtin:8930004.030001.P-02',
} as const

/** Packs of lot P-01 (SGTIN URNs, lot from the commissioning ILMD). */
export const packP01 = (n: number) => `urn:epc:id:sgtin:8930004.030001.${100 + n}`
export const PORK_GTIN = canonicalIdentifier(packP01(1)).split('/')[4]!
/** Packs of lot P-02, captured as Digital Links carrying the lot qualifier. */
export const packP02DigitalLink = (n: number) => `https://id.gs1.org/01/${PORK_GTIN}/10/P-02/21/${200 + n}`
export const packP02 = (n: number) => canonicalIdentifier(packP02DigitalLink(n))

export const CASE = {
  c1: 'urn:epc:id:sscc:8930004.1000000001',
  c2: 'urn:epc:id:sscc:8930004.1000000002',
  c3: 'urn:epc:id:sscc:8930004.1000000003',
  c4: 'urn:epc:id:sscc:8930004.1000000004',
  c5: 'urn:epc:id:sscc:8930004.1000000005',
} as const

/** Returnable pallets: re-used after the split, which the trace of the first load must not see. */
export const PALLET = {
  p1: 'urn:epc:id:grai:8930004.00001.P1',
  p2: 'urn:epc:id:grai:8930004.00001.P2',
} as const

export const OTHER_PRODUCT = 'urn:epc:id:sgtin:8930004.030002.900'

function where(site: Site): Json {
  return { readPoint: { id: PLACE[site] }, bizLocation: { id: PLACE[site] } }
}

function transfer(from: Site, to: Site): Json {
  return {
    sourceList: [
      { type: 'owning_party', source: PARTY[from] },
      { type: 'location', source: PLACE[from] },
    ],
    destinationList: [
      { type: 'owning_party', destination: PARTY[to] },
      { type: 'location', destination: PLACE[to] },
    ],
  }
}

function event(type: string, time: string, fields: Json): Json {
  return { type, eventID: nextEventId(), eventTime: time, eventTimeZoneOffset: ZONE, ...fields }
}

const commission = (time: string, site: Site, epcs: string[], lotNumber?: string) =>
  event('ObjectEvent', time, {
    epcList: epcs,
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    ...where(site),
    ...(lotNumber ? { ilmd: { 'cbvmda:lotNumber': lotNumber } } : {}),
  })

const ship = (time: string, from: Site, to: Site, what: Json) =>
  event('ObjectEvent', time, {
    ...what,
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: PLACE[from] },
    ...transfer(from, to),
  })

const receive = (time: string, from: Site, to: Site, what: Json) =>
  event('ObjectEvent', time, {
    ...what,
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    ...where(to),
    ...transfer(from, to),
  })

const pack = (time: string, site: Site, parent: string, children: string[]) =>
  event('AggregationEvent', time, {
    parentID: parent,
    childEPCs: children,
    action: 'ADD',
    bizStep: 'packing',
    disposition: 'in_progress',
    ...where(site),
  })

const unpack = (time: string, site: Site, parent: string, children: string[]) =>
  event('AggregationEvent', time, {
    parentID: parent,
    childEPCs: children,
    action: 'DELETE',
    bizStep: 'unpacking',
    disposition: 'in_progress',
    ...where(site),
  })

const kg = (epcClass: string, quantity: number) => ({ epcClass, quantity, uom: 'KGM' })

const MASTER_DATA = {
  epcisMasterData: {
    vocabularyList: [
      {
        type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
        vocabularyElementList: [
          ['farmA', 'Trại heo Đồng Nai'],
          ['farmB', 'Trại heo Bình Dương'],
          ['slaughterhouse', 'Lò mổ Vissan'],
          ['processor', 'Xưởng chế biến Thủ Đức'],
          ['distributor', 'Kho phân phối Tân Bình'],
          ['supermarketA', 'Siêu thị A Quận 1'],
          ['supermarketB', 'Siêu thị B Quận 3'],
          ['supermarketC', 'Siêu thị C Quận 7'],
        ].map(([site, name]) => ({
          id: PLACE[site as Site],
          attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: name }],
        })),
      },
      {
        type: 'urn:epcglobal:epcis:vtype:EPCClass',
        vocabularyElementList: [
          {
            id: 'urn:epc:idpat:sgtin:8930004.030001.*',
            attributes: [{ id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: 'Thịt heo xay 500 g' }],
          },
          { id: CARCASS.C01, attributes: [{ id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: 'Thân thịt heo' }] },
        ],
      },
    ],
  },
}

export interface PorkChain {
  documents: Json[]
  /** A shipment of case 3 to supermarket A, declared erroneous in the last document */
  wrongShipmentId: string
  correctionId: string
  splitId: string
}

/** The capture documents of the chain, in the order they are to be captured. */
export function porkChain(): PorkChain {
  // Day 1: farms commission pigs with their farm lots and ship them to the slaughterhouse.
  const farms = [
    commission(at(1, '08:00'), 'farmA', [PIG.A1, PIG.A2, PIG.A3], 'FA-2405'),
    commission(at(1, '08:05'), 'farmA', [PIG.A4, PIG.A5], 'FA-2406'),
    commission(at(1, '08:10'), 'farmB', [PIG.B1, PIG.B2, PIG.B3], 'FB-2405'),
    ship(at(1, '09:00'), 'farmA', 'slaughterhouse', { epcList: [PIG.A1, PIG.A2, PIG.A3, PIG.A4, PIG.A5] }),
    ship(at(1, '09:30'), 'farmB', 'slaughterhouse', { epcList: [PIG.B1, PIG.B2, PIG.B3] }),
    receive(at(1, '12:00'), 'farmA', 'slaughterhouse', { epcList: [PIG.A1, PIG.A2, PIG.A3, PIG.A4, PIG.A5] }),
    receive(at(1, '12:05'), 'farmB', 'slaughterhouse', { epcList: [PIG.B1, PIG.B2, PIG.B3] }),
  ]
  // Day 2: slaughter. C-01 in one event; C-02 across two events sharing a transformationID.
  const transformationId = 'urn:uuid:7d0c1c8e-0b1e-4a55-9d3b-2c02c02c02c0'
  const slaughter = [
    event('TransformationEvent', at(2, '06:00'), {
      inputEPCList: [PIG.A1, PIG.A2, PIG.A3, PIG.B1],
      outputQuantityList: [kg(CARCASS.C01, 320)],
      bizStep: 'killing',
      ...where('slaughterhouse'),
    }),
    event('TransformationEvent', at(2, '07:00'), {
      transformationID: transformationId,
      inputEPCList: [PIG.A4, PIG.A5],
      bizStep: 'killing',
      ...where('slaughterhouse'),
    }),
    event('TransformationEvent', at(2, '07:30'), {
      transformationID: transformationId,
      inputEPCList: [PIG.B2, PIG.B3],
      outputQuantityList: [kg(CARCASS.C02, 310)],
      bizStep: 'killing',
      ...where('slaughterhouse'),
    }),
    ship(at(2, '08:00'), 'slaughterhouse', 'processor', { quantityList: [kg(CARCASS.C01, 320), kg(CARCASS.C02, 310)] }),
  ]
  // Day 3: cutting and packing at the processor, palletising, shipping to the distributor.
  const packsP01 = [1, 2, 3, 4, 5, 6].map(packP01)
  const packsP02 = [1, 2, 3, 4, 5, 6].map(packP02DigitalLink)
  const processing = [
    event('TransformationEvent', at(3, '06:00'), {
      inputQuantityList: [kg(CARCASS.C01, 320)],
      outputQuantityList: [kg(PORK_LOT.P01, 3)],
      bizStep: 'commissioning',
      ...where('processor'),
    }),
    commission(at(3, '06:30'), 'processor', packsP01, 'P-01'),
    event('TransformationEvent', at(3, '06:40'), {
      inputQuantityList: [kg(CARCASS.C02, 310)],
      outputEPCList: packsP02,
      bizStep: 'commissioning',
      disposition: 'active',
      ...where('processor'),
    }),
    pack(at(3, '08:00'), 'processor', CASE.c1, packsP01.slice(0, 3)),
    pack(at(3, '08:01'), 'processor', CASE.c2, packsP01.slice(3)),
    pack(at(3, '08:02'), 'processor', CASE.c3, packsP02.slice(0, 3)),
    pack(at(3, '08:03'), 'processor', CASE.c4, packsP02.slice(3)),
    pack(at(3, '09:00'), 'processor', PALLET.p1, [CASE.c1, CASE.c2, CASE.c3]),
    pack(at(3, '09:01'), 'processor', PALLET.p2, [CASE.c4]),
    ship(at(3, '10:00'), 'processor', 'distributor', { epcList: [PALLET.p1, PALLET.p2] }),
  ]
  // Day 4: the distributor receives, splits pallet 1 on receipt, ships cases on; one shipment is wrong.
  const split = event('AggregationEvent', at(4, '08:30'), {
    parentID: PALLET.p1,
    childEPCs: [],
    action: 'DELETE',
    bizStep: 'unpacking',
    disposition: 'in_progress',
    ...where('distributor'),
  })
  const wrongShipment = ship(at(4, '09:50'), 'distributor', 'supermarketA', { epcList: [CASE.c3] })
  const correction = ship(at(4, '10:00'), 'distributor', 'supermarketB', { epcList: [CASE.c3] })
  const distribution = [
    receive(at(4, '08:00'), 'processor', 'distributor', { epcList: [PALLET.p1, PALLET.p2] }),
    split,
    ship(at(4, '10:00'), 'distributor', 'supermarketA', { epcList: [CASE.c1, CASE.c2] }),
    wrongShipment,
    correction,
    ship(at(4, '10:05'), 'distributor', 'supermarketB', { epcList: [PALLET.p2] }),
    receive(at(4, '11:00'), 'distributor', 'supermarketA', { epcList: [CASE.c1, CASE.c2] }),
    receive(at(4, '11:10'), 'distributor', 'supermarketB', { epcList: [CASE.c3, PALLET.p2] }),
  ]
  // Day 5: supermarket B takes one pack out of case 3 and sells it; pallet 1 carries other goods to supermarket C.
  const retail = [
    unpack(at(5, '09:00'), 'supermarketB', CASE.c3, [packsP02[0]!]),
    event('ObjectEvent', at(5, '15:00'), {
      epcList: [packsP02[0]],
      action: 'OBSERVE',
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      ...where('supermarketB'),
    }),
    pack(at(5, '09:00'), 'distributor', CASE.c5, [OTHER_PRODUCT]),
    pack(at(5, '09:10'), 'distributor', PALLET.p1, [CASE.c5]),
    ship(at(5, '10:00'), 'distributor', 'supermarketC', { epcList: [PALLET.p1] }),
  ]
  const declaration = {
    ...wrongShipment,
    errorDeclaration: {
      declarationTime: at(4, '12:00'),
      reason: 'incorrect_data',
      correctiveEventIDs: [correction.eventID],
    },
  }
  return {
    documents: [
      epcisDocument([...farms, ...slaughter], [], MASTER_DATA),
      epcisDocument([...processing, ...distribution, ...retail]),
      epcisDocument([declaration]),
    ],
    wrongShipmentId: wrongShipment.eventID as string,
    correctionId: correction.eventID as string,
    splitId: split.eventID as string,
  }
}

/** Canonical key (what the answers use) of an EPC URN or Digital Link. */
export const key = (epc: string) => canonicalIdentifier(epc)
