// Compressed GS1 Digital Links (GS1 Digital Link: Compression): the resolver answers them as their
// uncompressed form; capture refuses them, saying which uncompressed form EPCIS wants.
import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { objectEvent } from '../factories.js'
import { build } from '../helper.js'
import { linkHeader, register } from './helpers.js'

const origin = 'https://truyxuat.example.vn'
const pip = { linkType: 'gs1:pip', href: 'https://example.vn/pip', title: 'Product' }
const lotPage = { linkType: 'gs1:pip', href: 'https://example.vn/lot', title: 'Lot' }

t.test('the resolver answers a compressed Digital Link as the uncompressed one', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0, PUBLIC_BASE_URL: origin })
  await register(app, '/01/04012345005516', { itemDescription: 'Item', links: [pip] })
  await register(app, '/01/05412345000013/10/ABC123', { itemDescription: 'Lot', links: [lotPage] })

  const full = await app.inject({ method: 'GET', url: '/AQdMZMwrmA' })
  t.equal(full.statusCode, 307, '/AQdMZMwrmA is /01/04012345005516')
  t.equal(full.headers.location, pip.href)
  t.same(
    linkHeader(full).find((l) => l.rel === 'owl:sameAs'),
    { url: `${origin}/01/04012345005516`, rel: 'owl:sameAs' },
    'the uncompressed URI in the Link header',
  )
  t.ok(linkHeader(full).some((l) => l.rel === 'linkset' && l.url === `${origin}/01/04012345005516?linkType=linkset`))
  t.equal(full.headers['access-control-allow-origin'], '*')

  const linkset = await app.inject({ method: 'GET', url: '/AQdMZMwrmA?linkType=linkset' })
  t.equal(linkset.statusCode, 200)
  t.equal(linkset.json().linkset[0].anchor, `${origin}/01/04012345005516`, 'facts are about the uncompressed URI')

  const forwarded = await app.inject({ method: 'GET', url: '/AQdMZMwrmA?foo=bar' })
  t.equal(forwarded.headers.location, `${pip.href}?foo=bar`, 'the query string is passed on')

  const fullLot = await app.inject({ method: 'GET', url: '/AQnYUc1gmiCNV4JG' })
  t.equal(fullLot.headers.location, lotPage.href, '/AQnYUc1gmiCNV4JG is /01/05412345000013/10/ABC123')
  const partial = await app.inject({ method: 'GET', url: '/01/05412345000013/EEarwSM' })
  t.equal(partial.statusCode, 307, 'a partially compressed link')
  t.equal(partial.headers.location, lotPage.href)
  t.ok(linkHeader(partial).some((l) => l.rel === 'owl:sameAs' && l.url === `${origin}/01/05412345000013/10/ABC123`))

  const unknown = await app.inject({ method: 'GET', url: '/AN2yxDhfaiaw' })
  t.equal(unknown.statusCode, 404, 'an SSCC nothing is known of')
  t.ok(linkHeader(unknown).some((l) => l.rel === 'owl:sameAs' && l.url === `${origin}/00/998440410914660971`))

  for (const url of ['/favicon.ico', '/zzzzzzzz', '/AQdMZMwrmAA']) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 404, `${url}: not a compressed Digital Link, nothing there`)
  }
  const preflight = await app.inject({ method: 'OPTIONS', url: '/AQdMZMwrmA', headers: { origin: 'https://scanner.example', 'access-control-request-method': 'GET' } })
  t.equal(preflight.statusCode, 204, 'OPTIONS on a compressed link')
  t.equal(preflight.headers['access-control-allow-origin'], '*')
  t.equal((await app.inject({ method: 'OPTIONS', url: '/zzzzzzzz' })).statusCode, 404)
  const discovery = await app.inject({ method: 'OPTIONS', url: '/events' })
  t.equal(discovery.statusCode, 204, 'OPTIONS /events is still the EPCIS discovery')
  t.ok(discovery.headers['gs1-epcis-version'])
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'the other routes are untouched')
  t.equal((await app.inject({ method: 'GET', url: '/events', headers: { authorization: '' } })).statusCode, 401)
})

t.test('capture refuses compressed Digital Links and names the uncompressed form', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  for (const [epc, uncompressed] of <Array<[string, string]>>[
    ['https://id.gs1.org/AQnYUc1gmiCNV4JGQhcNT6K6c', 'https://id.gs1.org/01/05412345000013/10/ABC123/21/72292641703'],
    ['https://example.com/AQnYUc1gmiCNV4JGQhcNT6K6c', 'https://example.com/01/05412345000013/10/ABC123/21/72292641703'],
    ['https://id.gs1.org/01/05412345000013/IQuGp9FdO', 'https://id.gs1.org/01/05412345000013/21/72292641703'],
  ]) {
    const response = await app.inject({
      method: 'POST',
      url: '/events',
      payload: { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ epcList: [epc] }) },
    })
    t.equal(response.statusCode, 400, epc)
    t.match(response.body, 'compressed GS1 Digital Link', `${epc}: the problem says it is compressed`)
    t.match(response.body, uncompressed, `${epc}: and names the uncompressed form`)
  }
  const plain = await app.inject({
    method: 'POST',
    url: '/events',
    payload: { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ epcList: ['https://example.com/products/abc'] }) },
  })
  t.equal(plain.statusCode, 201, 'an ordinary URI stays an ordinary URI')
})
