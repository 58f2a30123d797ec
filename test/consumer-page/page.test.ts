import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { epcisDocument, type Json } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { PLACE, PORK_GTIN } from '../traceability/pork-chain.js'
import {
  CERTIFICATE,
  DISTRIBUTOR_NAME,
  EPC_CLASS,
  LOCATION,
  loadScenario,
  LOT_P01_PATH,
  PLACE_NAMES,
  PRICE,
  PRODUCT_IMAGE,
  PRODUCT_NAME,
  PURCHASE_ORDER,
  putProduct,
} from './scenario.js'

/** The page as anyone gets it: without credentials (an empty authorization header sends none). */
const page = (app: FastifyInstance, path: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: `/traceability/page${path}`, headers: { authorization: '', ...headers } })

/** The visible text of the timeline, one line per step. */
function timelineOf(html: string): string[] {
  const list = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? ''
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())
}

const gtinOf = (urn: string) => canonicalIdentifier(urn).split('/')[4]!
let eventCounter = 0
const event = (type: string, day: number, fields: Json): Json => ({
  type,
  eventID: `urn:uuid:00000000-0000-4000-8000-d0${String(++eventCounter).padStart(10, '0')}`,
  eventTime: `2024-06-0${day}T08:00:00.000+07:00`,
  eventTimeZoneOffset: '+07:00',
  ...fields,
})
const kg = (epcClass: string) => [{ epcClass, quantity: 10, uom: 'KGM' }]
const at = (place: string) => ({ readPoint: { id: place }, bizLocation: { id: place } })

t.test('the consumer page of the pork chain', async (t) => {
  const app = await build(t)
  await loadScenario(app)

  t.test('a lot in Vietnamese: product, expiry, journey from both farms to the store, certificate, cold chain', async (t) => {
    const response = await page(app, LOT_P01_PATH)
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^text\/html; charset=utf-8/)
    t.equal(response.headers['content-language'], 'vi')
    t.match(response.headers['content-security-policy'], /default-src 'none'/)
    const html = response.body
    t.match(html, '<html lang="vi">')
    t.match(html, '<meta name="viewport" content="width=device-width, initial-scale=1">')
    t.notMatch(html, /<script/i, 'no JavaScript')
    t.match(html, `<h1>${PRODUCT_NAME.vi}</h1>`)
    t.match(html, `<img class="product" src="${PRODUCT_IMAGE}"`)
    t.match(html, '<dt>Số lô</dt><dd class="code">P-01</dd>')
    t.match(html, '<dt>Hạn sử dụng</dt><dd>20/05/2024</dd>')
    t.match(html, '<dt>Sử dụng tốt nhất trước</dt><dd>18/05/2024</dd>')

    const steps = timelineOf(html)
    const index = (text: string) => steps.findIndex((s) => s.includes(text))
    t.ok(index(PLACE_NAMES.farmA.vi) >= 0 && index(PLACE_NAMES.farmB.vi) >= 0, 'both farms')
    t.ok(steps.some((s) => s.includes('Giết mổ') && s.includes(PLACE_NAMES.slaughterhouse.vi)), 'slaughter at the slaughterhouse')
    t.ok(steps.some((s) => s.includes('Đóng gói') && s.includes(PLACE_NAMES.processor.vi)), 'packing at the processor')
    t.ok(steps.some((s) => s.includes('Nhận hàng') && s.includes(PLACE_NAMES.supermarketA.vi)), 'received at the store')
    t.notOk(steps.some((s) => s.includes(PLACE_NAMES.supermarketB.vi)), 'not the store that got the other lot')
    t.ok(index(PLACE_NAMES.farmA.vi) < index('Giết mổ') && index('Giết mổ') < index(PLACE_NAMES.supermarketA.vi), 'in time order')
    t.equal(steps.filter((s) => s.includes('Nhận hàng') && s.includes(PLACE_NAMES.slaughterhouse.vi)).length, 1, 'one step for two receipts')
    t.match(steps[index(PLACE_NAMES.supermarketA.vi)], '04/05/2024 11:00', 'the date on the local clock')

    t.match(html, `<a href="${CERTIFICATE}" rel="noopener noreferrer">`)
    t.match(html, `(${PLACE_NAMES.farmA.vi})`)
    t.match(html, 'Nhiệt độ từ 1,5 đến 4,25 °C (2 lần đo)')
    t.match(html, 'href="/traceability/page/01/08930004300016/10/P-01?lang=en" hreflang="en"')
    t.notMatch(html, 'class="alert')
  })

  t.test('the same in English, by lang or by Accept-Language', async (t) => {
    const cases: Array<[string, Record<string, string>]> = [
      ['?lang=en', {}],
      ['', { 'accept-language': 'en-GB,en;q=0.9' }],
      ['', { 'accept-language': 'fr-FR, en;q=0.5, vi;q=0.4' }],
      ['?lang=en-US,vi', { 'accept-language': 'vi' }],
    ]
    for (const [query, headers] of cases) {
      const response = await page(app, `${LOT_P01_PATH}${query}`, headers)
      t.equal(response.statusCode, 200)
      t.equal(response.headers['content-language'], 'en', `${query} ${JSON.stringify(headers)}`)
      t.match(response.headers.vary, 'Accept-Language')
      const steps = timelineOf(response.body)
      t.match(response.body, '<html lang="en">')
      t.match(response.body, `<h1>${PRODUCT_NAME.en}</h1>`)
      t.match(response.body, '<dt>Use by</dt><dd>20 May 2024</dd>')
      t.ok(steps.some((s) => s.includes(PLACE_NAMES.farmA.en)))
      t.ok(steps.some((s) => s.includes('Slaughtered') && s.includes(PLACE_NAMES.slaughterhouse.en)))
      t.ok(steps.some((s) => s.includes('Received') && s.includes(PLACE_NAMES.supermarketA.en)))
      t.match(response.body, 'Temperature between 1.5 and 4.25 °C (2 readings)')
      t.match(response.body, '>Tiếng Việt</a>')
    }
    const vietnamese: Array<Record<string, string>> = [{ 'accept-language': 'fr' }, { 'accept-language': 'en;q=0' }, {}]
    for (const headers of vietnamese) {
      const response = await page(app, LOT_P01_PATH, headers)
      t.equal(response.headers['content-language'], 'vi', `Vietnamese by default: ${JSON.stringify(headers)}`)
    }
    const chosen = await page(app, `${LOT_P01_PATH}?lang=vi`, { 'accept-language': 'en' })
    t.equal(chosen.headers['content-language'], 'vi', 'lang wins over Accept-Language')
  })

  t.test('a pack: its lot from the commissioning ILMD, the same journey; a trailing slash changes nothing', async (t) => {
    const response = await page(app, `/01/${PORK_GTIN}/21/102`)
    t.equal(response.statusCode, 200)
    t.match(response.body, '<dt>Số lô</dt><dd class="code">P-01</dd><dt>Số sê-ri</dt><dd class="code">102</dd>')
    t.ok(timelineOf(response.body).some((s) => s.includes(PLACE_NAMES.supermarketA.vi)))
    const slash = await page(app, `${LOT_P01_PATH}/`)
    t.equal(slash.statusCode, 200)
    t.same(timelineOf(slash.body), timelineOf((await page(app, LOT_P01_PATH)).body))
  })

  t.test('a pack whose case had a shipment declared erroneous says its records were corrected', async (t) => {
    const response = await page(app, `/01/${PORK_GTIN}/21/202`)
    t.equal(response.statusCode, 200)
    t.match(response.body, '<section class="alert corrected" role="alert"><h2>Dữ liệu truy xuất đã được đính chính</h2>')
    t.notMatch(response.body, 'Sản phẩm này đã bị thu hồi')
    t.notOk(timelineOf(response.body).some((s) => s.includes(PLACE_NAMES.supermarketA.vi)), 'the erroneous shipment is left out')
  })

  t.test('no commercial data unless the owner allows it', async (t) => {
    const hidden = await page(app, LOT_P01_PATH)
    for (const secret of ['PO-2024-777', DISTRIBUTOR_NAME, PRICE, 'Thông tin thương mại']) t.notMatch(hidden.body, secret)

    await putProduct(app, true)
    const shown = await page(app, LOT_P01_PATH)
    t.match(shown.body, `Giao dịch: po: ${PURCHASE_ORDER}`)
    t.match(shown.body, `Từ: ${DISTRIBUTOR_NAME}`)
    t.notMatch(shown.body, PRICE, 'private extensions (a price) are never shown')

    await putProduct(app, false)
    t.notMatch((await page(app, LOT_P01_PATH)).body, 'PO-2024-777', 'the owner can take it back')
  })

  t.test('unknown products get a friendly 404 page; malformed keys a 400 problem', async (t) => {
    const unknown = await page(app, '/01/09506000134352/10/NOPE')
    t.equal(unknown.statusCode, 404)
    t.match(unknown.headers['content-type'], /^text\/html/)
    t.match(unknown.body, '<html lang="vi">')
    t.match(unknown.body, '<h1>Không tìm thấy sản phẩm</h1>')
    const english = await page(app, '/01/09506000134352/10/NOPE?lang=en')
    t.equal(english.statusCode, 404)
    t.match(english.body, '<h1>Product not found</h1>')

    for (const path of ['/01/09506000134353', '/01/095060001343', '/99/123', '/01/09506000134352/21/1/10/L', '/']) {
      const bad = await page(app, path)
      t.equal(bad.statusCode, 400, path)
      t.match(bad.headers['content-type'], /^application\/problem\+json/, path)
      t.equal(bad.json().type, 'epcisException:ValidationException', path)
    }
  })
})

t.test('recalled products', async (t) => {
  const app = await build(t)
  const farmLot = 'urn:epc:class:lgtin:8930009.040001.R-1'
  const product = 'urn:epc:class:lgtin:8930009.050001.S-1'
  const persistent = 'urn:epc:class:lgtin:8930009.060001.Q-1'
  const job = await captureAndWait(
    app,
    epcisDocument([
      event('ObjectEvent', 1, { quantityList: kg(farmLot), action: 'ADD', bizStep: 'commissioning', ...at(PLACE.farmA) }),
      event('TransformationEvent', 2, { inputQuantityList: kg(farmLot), outputQuantityList: kg(product), bizStep: 'commissioning', ...at(PLACE.processor) }),
      event('ObjectEvent', 3, { quantityList: kg(farmLot), action: 'OBSERVE', bizStep: 'holding', disposition: 'recalled', ...at(PLACE.farmA) }),
      event('ObjectEvent', 1, { quantityList: kg(persistent), action: 'ADD', bizStep: 'commissioning', ...at(PLACE.farmB) }),
      event('ObjectEvent', 2, { quantityList: kg(persistent), action: 'OBSERVE', bizStep: 'holding', persistentDisposition: { set: ['recalled'] }, ...at(PLACE.farmB) }),
    ]),
  )
  t.equal(job.success, true, JSON.stringify(job.errors))

  const recalled = '<section class="alert recalled" role="alert"><h2>Sản phẩm này đã bị thu hồi</h2>'
  const made = await page(app, `/01/${gtinOf(product)}/10/S-1`)
  t.equal(made.statusCode, 200)
  t.match(made.body, recalled, 'the farm lot it was made from was recalled')
  t.match((await page(app, `/01/${gtinOf(product)}/10/S-1?lang=en`)).body, 'This product has been recalled')
  t.match((await page(app, `/01/${gtinOf(farmLot)}/10/R-1`)).body, recalled, 'the recalled lot itself')

  t.match((await page(app, `/01/${gtinOf(persistent)}/10/Q-1`)).body, recalled, 'an open recall (persistent disposition)')
  const closed = await captureAndWait(
    app,
    epcisDocument([
      event('ObjectEvent', 3, { quantityList: kg(persistent), action: 'OBSERVE', bizStep: 'holding', persistentDisposition: { unset: ['recalled'] }, ...at(PLACE.farmB) }),
    ]),
  )
  t.equal(closed.success, true)
  t.notMatch((await page(app, `/01/${gtinOf(persistent)}/10/Q-1`)).body, 'class="alert', 'the recall was closed')
})

t.test('every text from data is escaped', async (t) => {
  const app = await build(t)
  const item = 'urn:epc:id:sgtin:8930009.070001.1'
  const place = 'urn:epc:id:sgln:8930009.00001.0'
  const job = await captureAndWait(
    app,
    epcisDocument(
      [event('ObjectEvent', 1, { epcList: [item], action: 'ADD', bizStep: 'commissioning', ...at(place), certificationInfo: 'https://cert.example.vn/c?a=1&b=2' })],
      [],
      {
        epcisMasterData: {
          vocabularyList: [
            {
              type: EPC_CLASS,
              vocabularyElementList: [
                { id: 'urn:epc:idpat:sgtin:8930009.070001.*', attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: '<script>alert("xss")</script>' }] },
              ],
            },
            { type: LOCATION, vocabularyElementList: [{ id: place, attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: '<img src=x onerror=alert(1)>' }] }] },
          ],
        },
      },
    ),
  )
  t.equal(job.success, true, JSON.stringify(job.errors))
  const response = await page(app, `/01/${gtinOf(item)}/21/1?x=%22%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E`)
  t.equal(response.statusCode, 200)
  t.notMatch(response.body, /<script/i)
  t.notMatch(response.body, '<img src=x')
  t.match(response.body, '<h1>&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;</h1>')
  t.match(response.body, '&lt;img src=x onerror=alert(1)&gt;')
  t.match(response.body, '<a href="https://cert.example.vn/c?a=1&amp;b=2"')
})

t.test('names come from the master data of each field\'s own vocabulary type', async (t) => {
  const app = await build(t)
  const lot = 'urn:epc:class:lgtin:8930009.080001.V-1'
  const productClass = `https://id.gs1.org/01/${gtinOf(lot)}`
  const orchard = 'urn:epc:id:sgln:8930009.00002.0'
  const gate = 'urn:epc:id:sgln:8930009.00003.0'
  const READ_POINT = 'urn:epcglobal:epcis:vtype:ReadPoint'
  const named = (id: string, name: string) => ({ id, attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: name }] })
  const bare = (id: string) => ({ id, attributes: [] })
  const first = await captureAndWait(
    app,
    epcisDocument(
      [
        event('ObjectEvent', 1, { quantityList: kg(lot), action: 'ADD', bizStep: 'commissioning', ...at(orchard) }),
        event('ObjectEvent', 2, { quantityList: kg(lot), action: 'OBSERVE', bizStep: 'inspecting', readPoint: { id: gate } }),
      ],
      [],
      {
        epcisMasterData: {
          vocabularyList: [
            { type: EPC_CLASS, vocabularyElementList: [named(productClass, 'Vải thiều Lục Ngạn')] },
            { type: LOCATION, vocabularyElementList: [named(orchard, 'Vườn vải Lục Ngạn')] },
            { type: READ_POINT, vocabularyElementList: [named(gate, 'Cổng kiểm dịch')] },
          ],
        },
      },
    ),
  )
  t.equal(first.success, true, JSON.stringify(first.errors))
  // Newer elements of other vocabulary types with the same ids and nothing in them.
  const later = await captureAndWait(
    app,
    epcisDocument([], [], {
      epcisMasterData: {
        vocabularyList: [
          { type: READ_POINT, vocabularyElementList: [bare(orchard)] },
          { type: LOCATION, vocabularyElementList: [bare(gate), bare(productClass)] },
        ],
      },
    }),
  )
  t.equal(later.success, true, JSON.stringify(later.errors))

  const response = await page(app, `/01/${gtinOf(lot)}/10/V-1`)
  t.equal(response.statusCode, 200)
  t.match(response.body, '<h1>Vải thiều Lục Ngạn</h1>', 'the EPCClass element names the product')
  const steps = timelineOf(response.body)
  t.ok(steps.some((s) => s.includes('Vườn vải Lục Ngạn')), `the BusinessLocation element names the business location: ${steps}`)
  t.ok(steps.some((s) => s.includes('Cổng kiểm dịch')), `the ReadPoint element names a read point: ${steps}`)
})
