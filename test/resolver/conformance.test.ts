// The checks of GS1's resolver test suite (GS1DigitalLinkResolverTestSuite.js, summarised in
// test/fixtures/gs1/resolver-testsuite/*.txt), run against the test suite's model linkset.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build, type TestContext } from '../helper.js'
import { linkHeader, linksetSchemaErrors, modelLinkset, registerLinkset, withCuries, type LinkContextObject, type LinkObject } from './helpers.js'

const origin = 'https://truyxuat.example.vn'
const gtin = '/01/09506000164908'
const serial = `${gtin}/21/1234`

async function setUp(t: TestContext): Promise<FastifyInstance> {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0, PUBLIC_BASE_URL: origin })
  await registerLinkset(app, modelLinkset().linkset)
  return app
}

const stripQuery = (url: string) => url.split('?')[0]!

t.test('header-based checks: CORS, methods, Link to the linkset and no legacy links', async (t) => {
  const app = await setUp(t)
  for (const method of ['GET', 'HEAD'] as const) {
    const response = await app.inject({ method, url: gtin })
    t.equal(response.statusCode, 307, `${method} redirects`)
    t.equal(response.headers['access-control-allow-origin'], '*')
    const methods = String(response.headers['access-control-allow-methods'])
    for (const m of ['GET', 'HEAD', 'OPTIONS']) t.ok(methods.includes(m), `${method}: ${m} allowed`)
    const links = linkHeader(response)
    t.same(links, [{ url: `${origin}${gtin}?linkType=linkset`, rel: 'linkset', type: 'application/linkset+json' }])
    t.notOk(links.some((l) => l.rel?.startsWith('gs1:')), 'no deprecated gs1: links in the Link header')
  }
  const options = await app.inject({ method: 'OPTIONS', url: gtin, headers: { origin: 'https://scanner.example', 'access-control-request-method': 'GET' } })
  t.equal(options.statusCode, 204)
  t.equal(options.headers['access-control-allow-origin'], '*')
  t.match(options.headers.allow, /GET.*HEAD.*OPTIONS/)
})

t.test('errors: a malformed Digital Link is a 400 problem, never a 200', async (t) => {
  const app = await setUp(t)
  for (const url of [
    `${gtin}/foo`,
    '/01/09506000164909', // check digit
    '/01/0950600016490', // 13 digits: the URI syntax wants 14
    `${gtin}/21/1234/10/LOT`, // qualifiers out of order
    '/01/abc',
    '/01',
    '/414/9506000164900/10/LOT', // 10 is no qualifier of a GLN
    `${gtin}?21=1234`, // serial is a key qualifier, not a data attribute
    `${gtin}?17=991399`, // not a date
  ]) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 400, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/, url)
    t.equal(response.json().status, 400)
    t.equal(response.headers['access-control-allow-origin'], '*', `${url}: CORS on errors too`)
  }
})

t.test('trailing slash: the same answer with or without', async (t) => {
  const app = await setUp(t)
  for (const path of [gtin, serial]) {
    const plain = await app.inject({ method: 'GET', url: path })
    const slash = await app.inject({ method: 'GET', url: `${path}/` })
    t.equal(slash.statusCode, plain.statusCode)
    t.equal(slash.headers.location, plain.headers.location)
    t.equal(slash.headers.link, plain.headers.link)
  }
})

t.test('the query string is passed on when redirecting', async (t) => {
  const app = await setUp(t)
  const response = await app.inject({ method: 'GET', url: `${gtin}?foo=bar&17=251231` })
  t.equal(response.statusCode, 307)
  t.equal(response.headers.location, 'https://ref.gs1.org/tools/demo/2024retail/?foo=bar&17=251231')
  const typed = await app.inject({ method: 'GET', url: `${gtin}?linkType=gs1:pip&foo=bar` })
  t.equal(typed.headers.location, 'https://ref.gs1.org/tools/demo/2024retail/pip?linkType=gs1:pip&foo=bar')
})

t.test('the linkset: linkType=linkset, linkType=all and Accept: application/linkset+json, valid against GS1 schema', async (t) => {
  const app = await setUp(t)
  const byParameter = await app.inject({ method: 'GET', url: `${gtin}?linkType=linkset` })
  t.equal(byParameter.statusCode, 200)
  t.equal(byParameter.headers['content-type'], 'application/linkset+json')
  t.same(linksetSchemaErrors(byParameter.json()), [])
  const byAll = await app.inject({ method: 'GET', url: `${gtin}?linkType=all` })
  t.same(byAll.json(), byParameter.json())
  const byAccept = await app.inject({ method: 'GET', url: gtin, headers: { accept: 'application/linkset+json' } })
  t.equal(byAccept.statusCode, 200)
  t.equal(byAccept.headers['content-type'], 'application/linkset+json')
  t.same(byAccept.json(), byParameter.json())
  t.equal(byAccept.headers.vary, 'Accept, Accept-Language')
  const asJson = await app.inject({ method: 'GET', url: `${gtin}?linkType=linkset`, headers: { accept: 'application/json' } })
  t.match(asJson.headers['content-type'], /^application\/json\b/)

  const linkset = withCuries(byParameter.json()).linkset as LinkContextObject[]
  t.equal(linkset.length, 1, 'a GTIN request shows the GTIN level only')
  const [context] = linkset
  t.equal(context!.anchor, `${origin}${gtin}`)
  t.equal(context!.itemDescription, 'Crew neck white t-shirt')
  t.same(context!['gs1:defaultLink'], [{ href: 'https://ref.gs1.org/tools/demo/2024retail/', title: 'Menu' }])
  const model = withCuries(modelLinkset().linkset[0]!)
  for (const [key, links] of Object.entries(model)) {
    if (key.startsWith('gs1:') && key !== 'gs1:defaultLink') t.same(context![key], links, `${key} as registered`)
  }
})

t.test('walk up: a serial request includes the links of each level up to the primary key', async (t) => {
  const app = await setUp(t)
  const response = await app.inject({ method: 'GET', url: `${serial}?linkType=linkset` })
  t.same(linksetSchemaErrors(response.json()), [])
  const linkset = withCuries(response.json()).linkset as LinkContextObject[]
  t.same(linkset.map((c) => c.anchor), [`${origin}${serial}`, `${origin}${gtin}`])
  t.ok(linkset[0]!['gs1:dpp'])
  t.ok(linkset[1]!['gs1:pip'])

  const dpp = await app.inject({ method: 'GET', url: `${serial}?linkType=gs1:dpp` })
  t.equal(stripQuery(dpp.headers.location as string), 'https://example.com/dpp/7132mlkG')
  const pip = await app.inject({ method: 'GET', url: `${serial}?linkType=gs1:pip` })
  t.equal(stripQuery(pip.headers.location as string), 'https://ref.gs1.org/tools/demo/2024retail/pip', 'pip from the GTIN level')
  const plain = await app.inject({ method: 'GET', url: serial })
  t.equal(plain.headers.location, 'https://ref.gs1.org/tools/demo/2024retail/', 'the GTIN default applies to the serial')
  const lotAndSerial = await app.inject({ method: 'GET', url: `${gtin}/10/ABC/21/1234?linkType=gs1:dpp` })
  t.equal(lotAndSerial.statusCode, 404, '/10/ABC/21/1234 is another level than /21/1234: no dpp there')
  const unknownLot = await app.inject({ method: 'GET', url: `${gtin}/10/UNKNOWN` })
  t.equal(unknownLot.headers.location, 'https://ref.gs1.org/tools/demo/2024retail/')
  t.equal(linkHeader(unknownLot)[0]!.url, `${origin}${gtin}/10/UNKNOWN?linkType=linkset`)
})

t.test('linkset tests: every link of the model linkset is reachable as GS1 test suite asks for it', async (t) => {
  const app = await setUp(t)
  const linkset = withCuries((await app.inject({ method: 'GET', url: `${gtin}?linkType=linkset` })).json()).linkset as LinkContextObject[]
  const context = linkset[0]!
  const defaults = context['gs1:defaultLink'] as LinkObject[]
  t.equal(defaults.length, 1, 'exactly one default link')
  t.same(Object.keys(defaults[0]!).sort(), ['href', 'title'], 'the default link has no optional attributes')
  const plain = await app.inject({ method: 'GET', url: gtin })
  t.equal(plain.headers.location, defaults[0]!.href, 'a plain request redirects to the default link')

  for (const [linkType, value] of Object.entries(context)) {
    if (!linkType.startsWith('gs1:') || linkType === 'gs1:defaultLink') continue
    const links = value as LinkObject[]
    for (const link of links) {
      const params = new URLSearchParams()
      if (linkType !== 'gs1:defaultLinkMulti') params.set('linkType', linkType)
      if (link.type) params.set('mediaType', link.type)
      if (link.hreflang) params.set('lang', link.hreflang[0]!)
      if (link.context) params.set('context', link.context[0]!)
      const response = await app.inject({ method: 'GET', url: `${gtin}?${params}` })
      const twins = links.filter(
        (other) =>
          other.type === link.type &&
          JSON.stringify(other.hreflang) === JSON.stringify(link.hreflang) &&
          JSON.stringify(other.context) === JSON.stringify(link.context),
      )
      const what = `${linkType} ${JSON.stringify({ type: link.type, hreflang: link.hreflang, context: link.context })}`
      if (new Set(twins.map((l) => l.href)).size > 1) {
        t.equal(response.statusCode, 300, `${what}: equally good links answer 300`)
        t.same(linksetSchemaErrors(response.json()), [], '300 body is a valid linkset')
      } else {
        t.equal(response.statusCode, 307, what)
        t.equal(stripQuery(response.headers.location as string), link.href, what)
      }
    }
  }
})

t.test('unknown link types and unknown keys answer 404', async (t) => {
  const app = await setUp(t)
  const noSuchType = await app.inject({ method: 'GET', url: `${gtin}?linkType=gs1:nosuchlt` })
  t.equal(noSuchType.statusCode, 404)
  t.match(noSuchType.headers['content-type'], /^application\/problem\+json/)
  t.ok(linkHeader(noSuchType).some((l) => l.rel === 'linkset'), 'the Link header is there on a 404 too')
  const notHere = await app.inject({ method: 'GET', url: `${gtin}?linkType=gs1:recallStatus` })
  t.equal(notHere.statusCode, 404, 'a GS1 link type with no link')
  const unknown = await app.inject({ method: 'GET', url: '/01/09506000134352' })
  t.equal(unknown.statusCode, 404, 'nothing known at any level')
  const unknownLinkset = await app.inject({ method: 'GET', url: '/01/09506000134352?linkType=linkset' })
  t.equal(unknownLinkset.statusCode, 404)
})

t.test('300 answers list the equally good links, as HTML for a browser', async (t) => {
  const app = await setUp(t)
  const json = await app.inject({ method: 'GET', url: `${gtin}?linkType=gs1:traceability` })
  t.equal(json.statusCode, 307, 'two links to the same target are one choice')
  const html = await app.inject({
    method: 'GET',
    url: `${gtin}?linkType=gs1:certificationInfo&mediaType=text/html`,
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  })
  t.equal(html.statusCode, 300)
  t.match(html.headers['content-type'], /^text\/html/)
  t.match(html.body, /href="https:\/\/ref\.gs1\.org\/tools\/demo\/2024retail\/certificates"/)
  t.match(html.body, /Roadmap to Zero certificate/)
})

t.test('the resolver coexists with the other routes', async (t) => {
  const app = await setUp(t)
  t.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/vocabularies' })).statusCode, 200)
  t.notOk((await app.inject({ method: 'GET', url: '/events' })).headers['access-control-allow-origin'], '/events is not the resolver')
  const elsewhere = await app.inject({ method: 'GET', url: '/nothing-here' })
  t.equal(elsewhere.statusCode, 404)
  t.notOk(elsewhere.headers['access-control-allow-origin'], 'CORS is scoped to the resolver')
})
