import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build } from '../helper.js'

/**
 * The resolver offers gs1:traceability for every key an event names (and, walking up, for the levels
 * below it); the page it points to answers for each of them, master data or not.
 */
t.test('every traceability link the linkset offers leads to a page, without master data', async (t) => {
  const app = await build(t)
  const captured = await app.inject({
    method: 'POST',
    url: '/events',
    payload: {
      '@context': EPCIS_CONTEXT_URL,
      type: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'receiving',
      eventTime: '2024-05-01T08:00:00+07:00',
      eventTimeZoneOffset: '+07:00',
      epcList: ['urn:epc:id:sgtin:8934567.012345.1001'],
      readPoint: { id: 'urn:epc:id:sgln:8934567.00002.0' },
      bizLocation: { id: 'urn:epc:id:sgln:8934567.00003.0' },
    },
  })
  t.equal(captured.statusCode, 201)

  const keys = [
    '/01/08934567123457/21/1001', // the item itself
    '/01/08934567123457', // its product class, named only through the item
    '/01/08934567123457/10/LOT-NEVER-SEEN', // a lot of that class: the link of the level above
    '/414/8934567000024', // the read point
    '/414/8934567000031', // the business location
  ]
  for (const key of keys) {
    const linkset = await app.inject({ method: 'GET', url: `${key}?linkType=linkset` })
    t.equal(linkset.statusCode, 200, `${key}: a linkset`)
    const href = /"href":"[^"]*?(\/traceability\/page[^"?]*)"/.exec(linkset.body)?.[1]
    t.ok(href, `${key}: the linkset offers a traceability page`)
    if (!href) continue
    const page = await app.inject({ method: 'GET', url: href, headers: { 'accept-language': 'en' } })
    t.equal(page.statusCode, 200, `${key}: ${href} answers`)
    t.match(page.headers['content-type'], /^text\/html/)
    t.match(page.body, /Received/, `${key}: the page shows the event that names it`)
  }

  const unknown = await app.inject({ method: 'GET', url: '/traceability/page/01/09506000134352' })
  t.equal(unknown.statusCode, 404, 'a key no event names is still unknown')
  const noLinks = await app.inject({ method: 'GET', url: '/01/09506000134352?linkType=linkset' })
  t.equal(noLinks.statusCode, 404, 'and the resolver offers no page for it')
})

t.test('a client that asks for HTML gets a friendly page for a bad key, with the 4xx status', async (t) => {
  const app = await build(t)
  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
  for (const url of ['/01/09506000134353', '/traceability/page/01/09506000134353/10/LOT1']) {
    const html = await app.inject({ method: 'GET', url, headers: { accept: browser, 'accept-language': 'vi-VN,vi;q=0.9' } })
    t.equal(html.statusCode, 400, url)
    t.match(html.headers['content-type'], /^text\/html/)
    t.match(html.body, /<h1>Mã không hợp lệ<\/h1>/)
    t.match(html.body, /check digit/i, 'the technical detail is still there')
    const english = await app.inject({ method: 'GET', url: `${url}?lang=en`, headers: { accept: browser } })
    t.match(english.body, /<h1>Invalid code<\/h1>/)

    const json = await app.inject({ method: 'GET', url })
    t.equal(json.statusCode, 400)
    t.match(json.headers['content-type'], /^application\/problem\+json/, 'other clients still get the problem')
  }
  const unknown = await app.inject({ method: 'GET', url: '/01/09506000134352', headers: { accept: browser } })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.body, /<h1>Không tìm thấy sản phẩm<\/h1>/)
})

t.test('a party named only in a source list gets a traceability page, as its linkset promises', async (t) => {
  const app = await build(t)
  const captured = await app.inject({
    method: 'POST',
    url: '/events',
    payload: {
      '@context': EPCIS_CONTEXT_URL,
      type: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'shipping',
      eventTime: '2024-05-01T08:00:00+07:00',
      eventTimeZoneOffset: '+07:00',
      epcList: ['urn:epc:id:sgtin:8934567.012345.2001'],
      sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:8934567.00001' }],
    },
  })
  t.equal(captured.statusCode, 201, captured.body)
  const linkset = await app.inject({ method: 'GET', url: '/417/8934567000017?linkType=all', headers: { accept: 'application/linkset+json' } })
  t.equal(linkset.statusCode, 200)
  t.match(linkset.body, /\/traceability\/page\/417\/8934567000017/, 'the linkset offers the page')
  const page = await app.inject({ method: 'GET', url: '/traceability/page/417/8934567000017' })
  t.equal(page.statusCode, 200, 'and the page answers')
})
