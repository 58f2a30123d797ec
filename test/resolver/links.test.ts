import t from 'tap'
import { build } from '../helper.js'

const base = 'https://truyxuat.example.vn'
const pork = {
  itemDescription: 'Thịt heo Tây Ninh',
  defaultLinkType: 'https://gs1.org/voc/pip',
  links: [
    { linkType: 'gs1:pip', href: 'https://heo.example.vn/san-pham/thịt-heo', title: 'Trang sản phẩm', type: 'text/html', hreflang: ['vi'] },
    { linkType: 'https://ref.gs1.org/voc/certificationInfo', href: 'https://vietgap.example.vn/c/1.pdf', title: 'VietGAP', type: 'application/pdf', context: ['VN'] },
  ],
}

t.test('PUT, GET, DELETE and list the links of a key', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0, PUBLIC_BASE_URL: base })
  const created = await app.inject({ method: 'PUT', url: '/links/01/09506000134352/10/LOT%2b1/', payload: pork })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.headers.location, `${base}/links/01/09506000134352/10/LOT%2B1`)
  const view = created.json()
  t.equal(view.identifier, '/01/09506000134352/10/LOT%2B1', 'trailing slash dropped, value in canonical percent-encoding')
  t.equal(view.digitalLink, `${base}/01/09506000134352/10/LOT%2B1`)
  t.equal(view.defaultLinkType, 'gs1:pip')
  t.same(view.links, [
    { linkType: 'gs1:pip', href: 'https://heo.example.vn/san-pham/th%E1%BB%8Bt-heo', title: 'Trang sản phẩm', type: 'text/html', hreflang: ['vi'] },
    { linkType: 'gs1:certificationInfo', href: 'https://vietgap.example.vn/c/1.pdf', title: 'VietGAP', type: 'application/pdf', context: ['VN'] },
  ])

  const replaced = await app.inject({ method: 'PUT', url: '/links/01/09506000134352/10/LOT%2B1', payload: { ...pork, links: pork.links.slice(0, 1) } })
  t.equal(replaced.statusCode, 200)
  t.equal(replaced.json().links.length, 1)
  t.equal(replaced.json().createdAt, view.createdAt)

  const read = await app.inject({ method: 'GET', url: '/links/01/09506000134352/10/LOT%2B1' })
  t.same(read.json(), replaced.json())
  const resolved = await app.inject({ method: 'GET', url: '/01/09506000134352/10/LOT%2B1' })
  t.equal(resolved.headers.location, 'https://heo.example.vn/san-pham/th%E1%BB%8Bt-heo')

  await app.inject({ method: 'PUT', url: '/links/414/9506000134352', payload: { itemDescription: 'Kho', links: [] } })
  await app.inject({ method: 'PUT', url: '/links/00/095060001343520000', payload: { itemDescription: 'Pallet', links: [] } })
  const first = await app.inject({ method: 'GET', url: '/links?perPage=2' })
  t.same(first.json().map((v: { identifier: string }) => v.identifier), ['/00/095060001343520000', '/01/09506000134352/10/LOT%2B1'])
  const next = /<([^>]+)>; rel="next"/.exec(first.headers.link as string)![1]!
  const second = await app.inject({ method: 'GET', url: next.replace(base, '') })
  t.same(second.json().map((v: { identifier: string }) => v.identifier), ['/414/9506000134352'])
  t.notOk(second.headers.link)

  t.equal((await app.inject({ method: 'DELETE', url: '/links/01/09506000134352/10/LOT%2B1' })).statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: '/links/01/09506000134352/10/LOT%2B1' })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: '/links/01/09506000134352/10/LOT%2B1' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/01/09506000134352/10/LOT%2B1' })).statusCode, 404)
})

t.test('link types come from the GS1 Web Vocabulary; hrefs are absolute http(s) URLs', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const put = (payload: unknown, url = '/links/01/09506000134352') => app.inject({ method: 'PUT', url, payload: payload as object })
  const link = { linkType: 'gs1:pip', href: 'https://example.com/p', title: 'P' }

  const cases: Array<[string, unknown, string?]> = [
    ['unknown link type', { itemDescription: 'x', links: [{ ...link, linkType: 'gs1:productPage' }] }, '/links/0/linkType'],
    ['another vocabulary', { itemDescription: 'x', links: [{ ...link, linkType: 'https://schema.org/url' }] }, '/links/0/linkType'],
    ['resolver-only type', { itemDescription: 'x', links: [{ ...link, linkType: 'gs1:defaultLink' }] }, '/links/0/linkType'],
    ['relative href', { itemDescription: 'x', links: [{ ...link, href: '/p' }] }, '/links/0/href'],
    ['ftp href', { itemDescription: 'x', links: [{ ...link, href: 'ftp://example.com/p' }] }, '/links/0/href'],
    ['javascript href', { itemDescription: 'x', links: [{ ...link, href: 'javascript:alert(1)' }] }, '/links/0/href'],
    ['default without such link', { itemDescription: 'x', defaultLinkType: 'gs1:recipeInfo', links: [link] }, '/defaultLinkType'],
    ['default not a link type', { itemDescription: 'x', defaultLinkType: 'pip2', links: [link] }, '/defaultLinkType'],
    ['no title', { itemDescription: 'x', links: [{ linkType: 'gs1:pip', href: 'https://example.com/p' }] }],
    ['bad hreflang', { itemDescription: 'x', links: [{ ...link, hreflang: ['english'] }] }],
    ['bad media type', { itemDescription: 'x', links: [{ ...link, type: 'html' }] }],
    ['no description', { links: [link] }],
    ['unknown member', { itemDescription: 'x', links: [link], owner: 'me' }],
  ]
  for (const [what, payload, pointer] of cases) {
    const response = await put(payload)
    t.equal(response.statusCode, 400, what)
    t.equal(response.json().type, 'epcisException:ValidationException', what)
    if (pointer) t.ok(response.json().errors.some((e: { pointer: string }) => e.pointer === pointer), `${what}: ${pointer}`)
  }
  t.equal((await put({ itemDescription: 'x', links: [link] }, '/links/01/09506000134353')).statusCode, 400, 'check digit')
  t.equal((await put({ itemDescription: 'x', links: [link] }, '/links/foo/01/09506000134352')).statusCode, 400, 'path prefix')
  t.equal((await put({ itemDescription: 'x', links: [link] }, '/links/')).statusCode, 400, 'no key')

  const automaticDefault = await put({ itemDescription: 'x', defaultLinkType: 'gs1:traceability', links: [link] })
  t.equal(automaticDefault.statusCode, 201, 'the automatic traceability page may be named as the default')
  const deprecated = await put({ itemDescription: 'x', links: [{ ...link, linkType: 'gs1:productSustainabilityInfo' }] })
  t.equal(deprecated.statusCode, 200, 'deprecated GS1 link types are still link types')
})

t.test('fwqs: false keeps the query string to the resolver', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const created = await app.inject({
    method: 'PUT',
    url: '/links/01/09506000134352',
    payload: {
      itemDescription: 'x',
      links: [
        { linkType: 'gs1:pip', href: 'https://example.com/p', title: 'P', fwqs: false },
        { linkType: 'gs1:recipeInfo', href: 'https://example.com/r?a=1#top', title: 'R' },
      ],
    },
  })
  t.equal(created.json().links[0].fwqs, false)
  t.equal((await app.inject({ method: 'GET', url: '/01/09506000134352?foo=bar' })).headers.location, 'https://example.com/p')
  const recipe = await app.inject({ method: 'GET', url: '/01/09506000134352?linkType=gs1:recipeInfo&foo=bar' })
  t.equal(recipe.headers.location, 'https://example.com/r?a=1&linkType=gs1:recipeInfo&foo=bar#top', 'query joined before the fragment')
  const linkset = await app.inject({ method: 'GET', url: '/01/09506000134352?linkType=linkset' })
  t.equal(linkset.json().linkset[0]['https://gs1.org/voc/pip'][0].fwqs, false)
})
