import t, { type Test } from 'tap'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { linksetSchemaErrors, register, withCuries, type LinkContextObject } from './helpers.js'

const base = 'https://truyxuat.example.vn'
const gtin = '09506000134352'
const instance = `https://id.gs1.org/01/${gtin}/21/1001`
const lot = `https://id.gs1.org/01/${gtin}/10/LOT1`
const farm = 'urn:epc:id:sgln:8934567.00001.0'
const farmGln = new URL(canonicalIdentifier(farm)).pathname // /414/<13 digits>

async function withEvents(t: Test) {
  const app = await build(t, { PUBLIC_BASE_URL: base })
  const job = await captureAndWait(
    app,
    epcisDocument([
      objectEvent({ epcList: [instance], bizLocation: { id: farm } }),
      objectEvent({ epcList: [], quantityList: [{ epcClass: lot, quantity: 20, uom: 'KGM' }], action: 'ADD', bizStep: 'commissioning' }),
    ]),
  )
  t.ok(job.success, 'captured')
  return app
}

const location = (response: { headers: Record<string, unknown> }) => response.headers.location as string

t.test('an identifier the repository has seen resolves to its traceability page and its events', async (t) => {
  const app = await withEvents(t)
  const serialPath = `/01/${gtin}/21/1001`
  const plain = await app.inject({ method: 'GET', url: serialPath })
  t.equal(plain.statusCode, 307)
  t.equal(location(plain), `${base}/traceability/page${serialPath}`, 'the traceability page is the default link')

  const epcis = await app.inject({ method: 'GET', url: `${serialPath}?linkType=gs1:epcis` })
  t.equal(epcis.statusCode, 307)
  const eventsUrl = new URL(location(epcis))
  t.equal(eventsUrl.pathname, '/events')
  t.equal(eventsUrl.searchParams.get('linkType'), null, 'the EPCIS query gets no foreign parameters (fwqs: false)')
  t.equal(eventsUrl.searchParams.get('MATCH_anyEPC'), instance)
  const events = await app.inject({ method: 'GET', url: `${eventsUrl.pathname}${eventsUrl.search}` })
  t.equal(events.statusCode, 200, 'the gs1:epcis link is a working EPCIS query')
  t.equal(events.json().epcisBody.queryResults.resultsBody.eventList.length, 1)

  const lotLink = await app.inject({ method: 'GET', url: `/01/${gtin}/10/LOT1?linkType=https://gs1.org/voc/epcis` })
  const lotEvents = new URL(location(lotLink))
  t.equal(lotEvents.searchParams.get('MATCH_anyEPCClass'), lot, 'a class key is found by MATCH_anyEPCClass')
  const classEvents = await app.inject({ method: 'GET', url: `${lotEvents.pathname}${lotEvents.search}` })
  t.equal(classEvents.json().epcisBody.queryResults.resultsBody.eventList.length, 1)

  const gln = await app.inject({ method: 'GET', url: `${farmGln}?linkType=gs1:epcis` })
  const glnEvents = new URL(location(gln))
  t.equal(glnEvents.searchParams.get('EQ_bizLocation'), canonicalIdentifier(farm), 'a GLN is found by EQ_bizLocation')
  t.equal((await app.inject({ method: 'GET', url: `${glnEvents.pathname}${glnEvents.search}` })).json().epcisBody.queryResults.resultsBody.eventList.length, 1)
  t.equal(location(await app.inject({ method: 'GET', url: farmGln })), `${base}/traceability/page${farmGln}`)

  const gtinOnly = await app.inject({ method: 'GET', url: `/01/${gtin}` })
  t.equal(location(gtinOnly), `${base}/traceability/page/01/${gtin}`, 'a GTIN is seen through its instances and lots')

  const unseen = await app.inject({ method: 'GET', url: `/01/${gtin}/21/9999` })
  t.equal(location(unseen), `${base}/traceability/page/01/${gtin}/21/9999`, 'an unseen serial walks up to the page of its GTIN, keeping the serial')
  const unseenGtin = await app.inject({ method: 'GET', url: '/01/09506000134376' })
  t.equal(unseenGtin.statusCode, 404)
})

t.test('the linkset of a seen identifier lists the automatic links at each level', async (t) => {
  const app = await withEvents(t)
  const response = await app.inject({ method: 'GET', url: `/01/${gtin}/10/LOT1/21/1001?linkType=linkset` })
  t.equal(response.statusCode, 200)
  t.same(linksetSchemaErrors(response.json()), [])
  const linkset = withCuries(response.json()).linkset as LinkContextObject[]
  t.same(
    linkset.map((c) => c.anchor),
    [`${base}/01/${gtin}/10/LOT1/21/1001`, `${base}/01/${gtin}/10/LOT1`, `${base}/01/${gtin}`],
  )
  t.same(Object.keys(linkset[0]!).sort(), ['anchor', 'gs1:defaultLink', 'gs1:epcis', 'gs1:traceability', 'itemDescription'])
  t.equal(linkset[0]!.itemDescription, 'GTIN 09506000134352, BATCH/LOT LOT1, SERIAL 1001')
  t.same(linkset[0]!['gs1:defaultLink'], [{ href: `${base}/traceability/page/01/${gtin}/10/LOT1/21/1001`, title: 'Nguồn gốc sản phẩm / Product origin' }])

  const variant = await app.inject({ method: 'GET', url: `/01/${gtin}/22/V2?linkType=linkset` })
  t.same(
    variant.json().linkset.map((c: LinkContextObject) => c.anchor),
    [`${base}/01/${gtin}`],
    'a consumer product variant is the GTIN to capture: the automatic links stay with the GTIN',
  )
})

t.test("the brand owner's registered default replaces the traceability page; the automatic links stay", async (t) => {
  const app = await withEvents(t)
  await register(app, `/01/${gtin}`, {
    itemDescription: 'Vải thiều Lục Ngạn',
    defaultLinkType: 'gs1:pip',
    links: [
      { linkType: 'gs1:pip', href: 'https://vaithieu.example.vn/san-pham', title: 'Trang sản phẩm', hreflang: ['vi'] },
      { linkType: 'gs1:pip', href: 'https://vaithieu.example.vn/en/product', title: 'Product page', hreflang: ['en'] },
    ],
  })
  const serialPath = `/01/${gtin}/21/1001`
  const vi = await app.inject({ method: 'GET', url: serialPath, headers: { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.8' } })
  t.equal(location(vi), 'https://vaithieu.example.vn/san-pham')
  const en = await app.inject({ method: 'GET', url: serialPath, headers: { 'accept-language': 'en-GB,en;q=0.9' } })
  t.equal(location(en), 'https://vaithieu.example.vn/en/product')
  const other = await app.inject({ method: 'GET', url: serialPath, headers: { 'accept-language': 'ja' } })
  t.equal(location(other), 'https://vaithieu.example.vn/san-pham', 'no better match: the first pip link is the default')
  const page = await app.inject({ method: 'GET', url: `${serialPath}?linkType=gs1:traceability` })
  t.equal(location(page), `${base}/traceability/page${serialPath}?linkType=gs1:traceability`)

  const linkset = withCuries((await app.inject({ method: 'GET', url: `${serialPath}?linkType=linkset` })).json()).linkset as LinkContextObject[]
  t.equal(linkset[0]!.itemDescription, 'Vải thiều Lục Ngạn, SERIAL 1001', 'an undescribed level takes its ancestor\'s description')
  t.notOk(linkset[0]!['gs1:defaultLink'])
  t.same(linkset[1]!['gs1:defaultLink'], [{ href: 'https://vaithieu.example.vn/san-pham', title: 'Trang sản phẩm' }])
  t.equal((linkset[1]!['gs1:defaultLinkMulti'] as unknown[]).length, 2)
  t.ok(linkset[1]!['gs1:traceability'], 'the GTIN keeps its automatic traceability link')
})

t.test('links registered without a default leave the traceability page the default', async (t) => {
  const app = await withEvents(t)
  await register(app, `/01/${gtin}`, {
    itemDescription: 'Vải thiều',
    links: [{ linkType: 'gs1:certificationInfo', href: 'https://vietgap.example.vn/cert/1', title: 'VietGAP' }],
  })
  t.equal(location(await app.inject({ method: 'GET', url: `/01/${gtin}` })), `${base}/traceability/page/01/${gtin}`)
  t.equal(location(await app.inject({ method: 'GET', url: `/01/${gtin}?linkType=gs1:certificationInfo` })), 'https://vietgap.example.vn/cert/1?linkType=gs1:certificationInfo')
  await register(app, `/01/${gtin}`, {
    itemDescription: 'Vải thiều',
    links: [{ linkType: 'gs1:traceability', href: 'https://other-portal.example.vn/trace', title: 'Cổng truy xuất tỉnh' }],
  })
  t.equal(location(await app.inject({ method: 'GET', url: `/01/${gtin}` })), 'https://other-portal.example.vn/trace', "the owner's own traceability link replaces the automatic one")
})

t.test('a key nobody captured, with registered links only: their default, else their first link', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  await register(app, '/01/09506000134376', {
    itemDescription: 'Dal Giardino',
    links: [
      { linkType: 'gs1:pip', href: 'https://dalgiardino.example/pip', title: 'Product' },
      { linkType: 'gs1:recipeInfo', href: 'https://dalgiardino.example/recipe', title: 'Recipe' },
    ],
  })
  const first = await app.inject({ method: 'GET', url: '/01/09506000134376' })
  t.equal(location(first), 'https://dalgiardino.example/pip')
  const epcis = await app.inject({ method: 'GET', url: '/01/09506000134376?linkType=gs1:epcis' })
  t.equal(epcis.statusCode, 404, 'no automatic links for a key no event names')
  const ownOrigin = await app.inject({ method: 'GET', url: '/01/09506000134376?linkType=linkset', headers: { host: 'resolver.test:8443' } })
  t.equal(ownOrigin.json().linkset[0].anchor, 'http://resolver.test:8443/01/09506000134376', 'without PUBLIC_BASE_URL the request origin')
})

t.test('a party or place named only as a source or destination gets its automatic links', async (t) => {
  const app = await build(t, { PUBLIC_BASE_URL: base })
  const seller = 'urn:epc:id:pgln:8934567.00000'
  const buyer = 'urn:epc:id:pgln:8934568.00000'
  const store = 'urn:epc:id:sgln:8934568.00009.0'
  const job = await captureAndWait(
    app,
    epcisDocument([
      objectEvent({
        sourceList: [{ type: 'owning_party', source: seller }],
        destinationList: [
          { type: 'owning_party', destination: buyer },
          { type: 'https://ref.gs1.org/cbv/SDT-possessing_party', destination: buyer },
          { type: 'location', destination: store },
        ],
      }),
    ]),
  )
  t.ok(job.success, 'captured')
  const pathOf = (id: string) => new URL(canonicalIdentifier(id)).pathname
  const eventsAt = async (url: string) => {
    const answer = await app.inject({ method: 'GET', url: `${new URL(url).pathname}${new URL(url).search}` })
    t.equal(answer.statusCode, 200, url)
    return answer.json().epcisBody.queryResults.resultsBody.eventList.length as number
  }

  const sellerPath = pathOf(seller)
  t.match(sellerPath, /^\/417\/\d{13}$/)
  const page = await app.inject({ method: 'GET', url: sellerPath })
  t.equal(page.statusCode, 307, 'a PGLN named only as a source resolves')
  t.equal(location(page), `${base}/traceability/page${sellerPath}`)
  const epcis = await app.inject({ method: 'GET', url: `${sellerPath}?linkType=gs1:epcis` })
  t.equal(epcis.statusCode, 307)
  t.equal(new URL(location(epcis)).searchParams.get('EQ_source_owning_party'), canonicalIdentifier(seller))
  t.equal(await eventsAt(location(epcis)), 1, 'its gs1:epcis link is a working query that finds the event')

  const linkset = await app.inject({ method: 'GET', url: `${pathOf(buyer)}?linkType=linkset` })
  t.equal(linkset.statusCode, 200, 'a PGLN named only as a destination has a linkset')
  t.same(linksetSchemaErrors(linkset.json()), [])
  const buyerLinks = (withCuries(linkset.json()).linkset[0] as LinkContextObject)['gs1:epcis'] as { href: string }[]
  t.equal(buyerLinks.length, 2, 'one events link per list and type it is named with')
  for (const link of buyerLinks) t.equal(await eventsAt(link.href), 1, link.href)

  const storeEpcis = await app.inject({ method: 'GET', url: `${pathOf(store)}?linkType=gs1:epcis` })
  t.equal(storeEpcis.statusCode, 307, 'a GLN named only as a destination location')
  t.equal(new URL(location(storeEpcis)).searchParams.get('EQ_destination_location'), canonicalIdentifier(store))
  t.equal(await eventsAt(location(storeEpcis)), 1)
  t.equal((await app.inject({ method: 'GET', url: pathOf('urn:epc:id:pgln:8934569.00000') })).statusCode, 404, 'a PGLN no event names is still unknown')
})

t.test('walking up to the traceability page of a coarser level keeps the request\'s qualifiers and query', async (t) => {
  const app = await withEvents(t)
  for (const [path, query] of [
    [`/01/${gtin}/10/LOT7`, '?linkType=gs1:traceability'],
    [`/01/${gtin}/10/LOT7`, ''],
    [`/01/${gtin}/10/LOT7/21/77`, '?linkType=gs1:traceability&17=261231'],
    [`/01/${gtin}/22/V1`, '?linkType=https://gs1.org/voc/traceability'],
  ]) {
    const response = await app.inject({ method: 'GET', url: `${path}${query}` })
    t.equal(response.statusCode, 307, `${path}${query}`)
    t.equal(location(response), `${base}/traceability/page${path}${query}`, `${path}${query}: the page of the key asked for`)
  }
  const own = await app.inject({ method: 'GET', url: `/01/${gtin}/10/LOT1?linkType=gs1:traceability` })
  t.equal(location(own), `${base}/traceability/page/01/${gtin}/10/LOT1?linkType=gs1:traceability`, 'a lot with its own links')
  const events = await app.inject({ method: 'GET', url: `/01/${gtin}/10/LOT7?linkType=gs1:epcis` })
  t.equal(new URL(location(events)).searchParams.get('MATCH_anyEPCClass'), `https://id.gs1.org/01/${gtin}`, 'a query of the level it walked up to')
})
