/**
 * Master-data ownership per canonical key (issue 13, item 6): another spelling of an element's id, or a capture
 * document's header (JSON or XML), cannot change another organisation's master data or its allowCommercialFields
 * flag, and the consumer page shows only the owner's.
 */
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { bearer, buildWorld } from '../security/fixtures.js'

const EPC_CLASS = 'urn:epcglobal:epcis:vtype:EPCClass'
const NAME = 'urn:epcglobal:cbv:mda#name'
const PRODUCT_URN = 'urn:epc:idpat:sgtin:8934567.012345.*'
const PRODUCT_DL = canonicalIdentifier(PRODUCT_URN)
const GTIN = PRODUCT_DL.split('/').pop()!
const PRODUCT_DL_ELSEWHERE = `https://qr.example.vn/01/${GTIN}`
const LOT = 'urn:epc:class:lgtin:8934567.012345.L1'
const PURCHASE_ORDER = 'https://alpha.example.vn/po/PO-ALPHA-0001'

const vocabularyUrl = (id: string) => `/vocabularies/${encodeURIComponent(EPC_CLASS)}/${encodeURIComponent(id)}`
const named = (name: string) => ({ attributes: [{ id: NAME, attribute: name }] })
const header = (id: string, name: string) => ({
  epcisMasterData: { vocabularyList: [{ type: EPC_CLASS, vocabularyElementList: [{ id, ...named(name) }] }] },
})

function xmlDocument(id: string, name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-06-01T00:00:00Z">
  <EPCISHeader><extension><EPCISMasterData><VocabularyList>
    <Vocabulary type="${EPC_CLASS}"><VocabularyElementList>
      <VocabularyElement id="${id}"><attribute id="${NAME}">${name}</attribute></VocabularyElement>
    </VocabularyElementList></Vocabulary>
  </VocabularyList></EPCISMasterData></extension></EPCISHeader>
  <EPCISBody><EventList>
    <ObjectEvent>
      <eventTime>2024-06-01T08:00:00.000+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
      <epcList><epc>urn:epc:id:sgtin:8939999.054321.X1</epc></epcList><action>OBSERVE</action>
    </ObjectEvent>
  </EventList></EPCISBody>
</epcis:EPCISDocument>`
}

const put = (app: FastifyInstance, key: string, id: string, body: Json) =>
  app.inject({ method: 'PUT', url: vocabularyUrl(id), headers: bearer(key), payload: body })

const capture = (app: FastifyInstance, key: string, payload: string, contentType: string) =>
  app.inject({ method: 'POST', url: '/capture', headers: { ...bearer(key), 'content-type': contentType }, payload })

const page = async (app: FastifyInstance) =>
  (await app.inject({ method: 'GET', url: `/traceability/page/01/${GTIN}/10/L1`, headers: { authorization: '' } })).body

t.test('only the owner of a canonical key writes its master data, whatever the spelling or the path', async (t) => {
  const app = await build(t)
  const { keys } = await buildWorld(app)
  const lotEvent = objectEvent({
    epcList: undefined,
    quantityList: [{ epcClass: LOT, quantity: 5, uom: 'KGM' }],
    bizLocation: { id: 'urn:epc:id:sgln:8934567.00001.0' },
    bizTransactionList: [{ type: 'po', bizTransaction: PURCHASE_ORDER }],
    // Not shipping: a shipping event without a destination is held by the publication checks, and the page shows none.
    bizStep: 'packing',
  })
  delete lotEvent.epcList
  t.equal((await captureAndWait(app, epcisDocument([lotEvent]), bearer(keys.alpha))).success, true)
  // buildWorld's capture wrote this element first, as alpha: alpha owns it.
  t.equal((await put(app, keys.alpha, PRODUCT_URN, { ...named('Vải thiều Alpha'), allowCommercialFields: false })).statusCode, 200)
  t.match(await page(app), '<h1>Vải thiều Alpha</h1>')

  for (const id of [PRODUCT_DL, PRODUCT_DL_ELSEWHERE, PRODUCT_URN]) {
    const response = await put(app, keys.beta, id, { ...named('Beta đổi tên'), allowCommercialFields: true })
    t.equal(response.statusCode, 403, `PUT as ${id}`)
    t.equal(response.json().type, 'epcisException:SecurityException')
  }
  const json = await capture(app, keys.beta, JSON.stringify(epcisDocument([objectEvent()], [], header(PRODUCT_DL, 'Beta JSON'))), 'application/json')
  t.equal(json.statusCode, 403, 'a JSON capture carrying the element is refused')
  t.match(json.statusCode === 403 ? json.json().errors : json.body, [{ message: new RegExp(PRODUCT_DL.replace(/[.*/]/g, '\\$&')) }])
  const xml = await capture(app, keys.beta, xmlDocument(PRODUCT_DL_ELSEWHERE, 'Beta XML'), 'application/xml')
  t.equal(xml.statusCode, 403, 'an XML capture carrying the element is refused')

  const shown = await page(app)
  t.match(shown, '<h1>Vải thiều Alpha</h1>', "the page keeps the owner's name")
  t.notMatch(shown, 'Beta')
  t.notMatch(shown, PURCHASE_ORDER, "the owner's flag still hides its purchase orders")

  t.test('the owner writes under any spelling and by capture; its flag is the one the page follows', async (t) => {
    t.equal((await put(app, keys.alpha, PRODUCT_DL_ELSEWHERE, { ...named('Vải thiều Lục Ngạn'), allowCommercialFields: true })).statusCode, 201)
    const shown = await page(app)
    t.match(shown, '<h1>Vải thiều Lục Ngạn</h1>')
    t.match(shown, PURCHASE_ORDER)
    const job = await captureAndWait(app, epcisDocument([objectEvent()], [], header(PRODUCT_DL, 'Vải thiều loại 1')), bearer(keys.alpha))
    t.equal(job.success, true, JSON.stringify(job.errors))
    t.match(await page(app), '<h1>Vải thiều loại 1</h1>')
  })

  t.test("a key carrying an organisation's Company Prefix is that organisation's, even before it writes it", async (t) => {
    const lotKey = canonicalIdentifier(LOT)
    const response = await put(app, keys.beta, lotKey, { ...named('Beta lot'), allowCommercialFields: true })
    t.equal(response.statusCode, 403, 'the lot of alpha\'s GTIN')
    const json = await capture(app, keys.beta, JSON.stringify(epcisDocument([objectEvent()], [], header(LOT, 'Beta lot'))), 'application/json')
    t.equal(json.statusCode, 403)
    const site = await put(app, keys.beta, 'urn:epc:id:sgln:8934567.00001.0', named('Beta warehouse'))
    t.equal(site.statusCode, 403, "alpha's location")
    const shown = await page(app)
    t.notMatch(shown, 'Beta')
    t.equal((await put(app, keys.alpha, lotKey, named('Lô L1'))).statusCode, 201, 'alpha writes it')
  })

  t.test('capturing master data claims the key for the capturer', async (t) => {
    const betaProduct = 'urn:epc:idpat:sgtin:8939999.054321.*'
    const job = await captureAndWait(app, epcisDocument([objectEvent()], [], header(betaProduct, 'Beta product')), bearer(keys.beta))
    t.equal(job.success, true, JSON.stringify(job.errors))
    t.equal((await put(app, keys.alpha, canonicalIdentifier(betaProduct), named('Alpha takes over'))).statusCode, 403)
    t.equal((await put(app, keys.beta, canonicalIdentifier(betaProduct), named('Beta renames'))).statusCode, 201, 'a new spelling, the same owner')
  })
})
