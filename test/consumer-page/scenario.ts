/**
 * The consumer page scenario: the pork chain of the traceability tests, place names in Vietnamese and
 * English (captured master data), the product's master data set through PUT /vocabularies, and one more
 * document giving lot P-01 what a shopper looks for (a VietGAP certificate at the farm, an expiry date,
 * temperature readings on the way) and a commercial record (a purchase order and a price) that the page
 * must keep to itself unless the owner allows it.
 */
import type { FastifyInstance } from 'fastify'
import { epcisDocument, type Json } from '../factories.js'
import { captureAndWait } from '../helper.js'
import { CASE, PARTY, PIG, PLACE, porkChain, PORK_GTIN, PORK_LOT } from '../traceability/pork-chain.js'

export const LOCATION = 'urn:epcglobal:epcis:vtype:BusinessLocation'
export const PARTY_TYPE = 'urn:epcglobal:epcis:vtype:Party'
export const EPC_CLASS = 'urn:epcglobal:epcis:vtype:EPCClass'
const NAME = 'urn:epcglobal:cbv:mda#name'

export const PLACE_NAMES = {
  farmA: { vi: 'Trại heo Đồng Nai', en: 'Dong Nai pig farm' },
  farmB: { vi: 'Trại heo Bình Dương', en: 'Binh Duong pig farm' },
  slaughterhouse: { vi: 'Lò mổ Vissan', en: 'Vissan slaughterhouse' },
  processor: { vi: 'Xưởng chế biến Thủ Đức', en: 'Thu Duc processing plant' },
  distributor: { vi: 'Kho phân phối Tân Bình', en: 'Tan Binh distribution centre' },
  supermarketA: { vi: 'Siêu thị A Quận 1', en: 'Supermarket A, District 1' },
  supermarketB: { vi: 'Siêu thị B Quận 3', en: 'Supermarket B, District 3' },
} as const

export const PRODUCT_NAME = { vi: 'Thịt heo xay Nguồn 500 g', en: 'Nguồn minced pork 500 g' }
export const PRODUCT_IMAGE = 'https://img.example.vn/thit-heo-xay.png'
export const DISTRIBUTOR_NAME = 'Công ty CP Phân phối Tân Bình'
export const CERTIFICATE = 'https://chungnhan.example.vn/vietgap/VG-2024-0042'
export const PURCHASE_ORDER = 'urn:epcglobal:cbv:bt:8930006000004:PO-2024-777'
export const PRICE = '129000'
export const LOT_P01_PATH = `/01/${PORK_GTIN}/10/P-01`
export const PRODUCT_CLASS_ID = `https://id.gs1.org/01/${PORK_GTIN}`

export const vocabularyUrl = (type: string, id: string) => `/vocabularies/${encodeURIComponent(type)}/${encodeURIComponent(id)}`

const texts = (names: { vi: string; en: string }) => [
  { '@value': names.vi, '@language': 'vi' },
  { '@value': names.en, '@language': 'en' },
]

async function put(app: FastifyInstance, type: string, id: string, body: Json): Promise<void> {
  const response = await app.inject({ method: 'PUT', url: vocabularyUrl(type, id), payload: body })
  if (response.statusCode !== 200 && response.statusCode !== 201) {
    throw new Error(`PUT ${type} ${id} answered ${response.statusCode}: ${response.body}`)
  }
}

/** The product's master data; allowCommercialFields is the owner's flag. */
export async function putProduct(app: FastifyInstance, allowCommercialFields = false): Promise<void> {
  await put(app, EPC_CLASS, PRODUCT_CLASS_ID, {
    attributes: [
      { id: NAME, attribute: texts(PRODUCT_NAME) },
      { id: 'https://gs1.org/voc/image', attribute: PRODUCT_IMAGE },
    ],
    allowCommercialFields,
  })
}

let counter = 0
const eventId = () => `urn:uuid:00000000-0000-4000-8000-c0${String(++counter).padStart(10, '0')}`

function extras(): Json {
  const at = (day: number, time: string) => `2024-05-0${day}T${time}:00.000+07:00`
  return epcisDocument(
    [
      {
        type: 'ObjectEvent',
        eventID: eventId(),
        eventTime: at(1, '07:30'),
        eventTimeZoneOffset: '+07:00',
        epcList: [PIG.A1, PIG.A2, PIG.A3],
        action: 'OBSERVE',
        bizStep: 'inspecting',
        readPoint: { id: PLACE.farmA },
        bizLocation: { id: PLACE.farmA },
        certificationInfo: CERTIFICATE,
      },
      {
        type: 'ObjectEvent',
        eventID: eventId(),
        eventTime: at(3, '06:31'),
        eventTimeZoneOffset: '+07:00',
        epcList: [],
        quantityList: [{ epcClass: PORK_LOT.P01, quantity: 3, uom: 'KGM' }],
        action: 'ADD',
        bizStep: 'commissioning',
        readPoint: { id: PLACE.processor },
        bizLocation: { id: PLACE.processor },
        ilmd: { 'cbvmda:itemExpirationDate': '2024-05-20', 'cbvmda:bestBeforeDate': '2024-05-18' },
      },
      {
        type: 'ObjectEvent',
        eventID: eventId(),
        eventTime: at(4, '09:40'),
        eventTimeZoneOffset: '+07:00',
        epcList: [CASE.c1],
        action: 'OBSERVE',
        bizStep: 'transporting',
        readPoint: { id: PLACE.distributor },
        bizTransactionList: [{ type: 'po', bizTransaction: PURCHASE_ORDER }],
        sourceList: [{ type: 'owning_party', source: PARTY.distributor }],
        destinationList: [{ type: 'owning_party', destination: PARTY.supermarketA }],
        sensorElementList: [
          {
            sensorMetadata: { time: at(4, '09:40') },
            sensorReport: [
              { type: 'Temperature', value: 3.5, uom: 'CEL' },
              { type: 'Temperature', minValue: 1.5, maxValue: 4.25, uom: 'CEL' },
            ],
          },
        ],
        'example:price': PRICE,
      },
    ],
    [{ example: 'https://example.vn/epcis/' }],
  )
}

/** Names of places and of a party in Vietnamese and English, as a capture document's master data. */
function masterData(): Json {
  const element = (id: string, names: { vi: string; en: string } | string) => ({
    id,
    // The EPCIS JSON Schema takes one value per attribute: one attribute per language.
    attributes: typeof names === 'string' ? [{ id: NAME, attribute: names }] : texts(names).map((text) => ({ id: NAME, attribute: text })),
  })
  return epcisDocument([], [], {
    epcisMasterData: {
      vocabularyList: [
        {
          type: LOCATION,
          vocabularyElementList: Object.entries(PLACE_NAMES).map(([site, names]) => element(PLACE[site as keyof typeof PLACE_NAMES], names)),
        },
        { type: PARTY_TYPE, vocabularyElementList: [element(PARTY.distributor, DISTRIBUTOR_NAME)] },
      ],
    },
  })
}

/** Captures the pork chain, the extra document and the place names; the product's master data is set by PUT. */
export async function loadScenario(app: FastifyInstance): Promise<void> {
  for (const document of [...porkChain().documents, extras(), masterData()]) {
    const job = await captureAndWait(app, document)
    if (!job.success) throw new Error(`capture failed: ${JSON.stringify(job.errors)}`)
  }
  await putProduct(app)
}
