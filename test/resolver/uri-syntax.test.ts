// The resolver and capture read a Digital Link by the same URI syntax: what one refuses, the other refuses.
import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { objectEvent } from '../factories.js'
import { build } from '../helper.js'
import { register } from './helpers.js'

const gtin = '09506000134352'

const capture = (app: Awaited<ReturnType<typeof build>>, epc: string) =>
  app.inject({ method: 'POST', url: '/events', payload: { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ epcList: [epc] }) } })

t.test('a GTIN of fewer than 14 digits is refused by the resolver as by capture, saying how to write it', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  await register(app, '/01/00000012345670', { itemDescription: 'GTIN-8 item', links: [{ linkType: 'gs1:pip', href: 'https://example.vn/p', title: 'P' }] })
  await register(app, `/01/${gtin}`, { itemDescription: 'item', links: [{ linkType: 'gs1:pip', href: 'https://example.vn/q', title: 'Q' }] })
  t.equal((await app.inject({ method: 'GET', url: '/01/00000012345670' })).statusCode, 307, 'the 14-digit form resolves')
  for (const [path, written] of [
    ['/01/12345670', '00000012345670'],
    ['/01/012345670', undefined],
    [`/01/${gtin.slice(1)}`, gtin],
    [`/01/${gtin.slice(1)}/21/1001`, gtin],
    ['/01/614141000036', '00614141000036'],
  ] as const) {
    const resolved = await app.inject({ method: 'GET', url: path })
    t.equal(resolved.statusCode, 400, path)
    t.match(resolved.headers['content-type'], /^application\/problem\+json/)
    if (written) t.match(resolved.json().detail, `write ${written}`, `${path}: the problem says how to write it`)
    const captured = await capture(app, `https://id.gs1.org${path}`)
    t.equal(captured.statusCode, 400, `capture refuses https://id.gs1.org${path} too`)
  }
  const put = await app.inject({ method: 'PUT', url: '/links/01/12345670', payload: { itemDescription: 'x', links: [] } })
  t.equal(put.statusCode, 400, 'and so does link administration')
})

t.test('characters the URI syntax requires percent-encoded: refused raw, accepted encoded, by both', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  for (const char of ['!', "'", '(', ')', '*', '+', ',', ':', ';', '=']) {
    const encoded = `%${char.charCodeAt(0).toString(16).toUpperCase()}`
    const raw = `/01/${gtin}/21/S${char}1`
    const resolved = await app.inject({ method: 'GET', url: raw })
    t.equal(resolved.statusCode, 400, `GET ${raw}`)
    t.match(resolved.json().detail, 'must be percent-encoded', raw)
    t.equal((await capture(app, `https://id.gs1.org${raw}`)).statusCode, 400, `capture refuses ${raw}`)
    t.equal((await app.inject({ method: 'GET', url: `/01/${gtin}/10/L${char}1` })).statusCode, 400, `a lot with ${char}`)

    const good = `/01/${gtin}/21/S${encoded}1`
    t.equal((await capture(app, `https://id.gs1.org${good}`)).statusCode, 201, `capture takes ${good}`)
    const found = await app.inject({ method: 'GET', url: good })
    t.equal(found.statusCode, 307, `the resolver finds ${good}`)
    t.ok(String(found.headers.location).endsWith(`/traceability/page${good}`), `in the canonical form: ${found.headers.location}`)
  }
  const fromUrn = await capture(app, `urn:epc:id:sgtin:9506000.013435.U'1`)
  t.equal(fromUrn.statusCode, 201, 'an EPC URN may hold \' as the Tag Data Standard allows')
  t.equal((await app.inject({ method: 'GET', url: `/01/${gtin}/21/U%271` })).statusCode, 307, 'and resolves as %27')
})

t.test('data attributes that need another primary key are refused by the resolver as by capture', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  await register(app, '/00/106141412345678908', { itemDescription: 'pallet', links: [{ linkType: 'gs1:pip', href: 'https://example.vn/p', title: 'P' }] })
  t.equal((await app.inject({ method: 'GET', url: '/00/106141412345678908' })).statusCode, 307)
  for (const query of ['17=260101', '10=LOT1', '7003=2601011230', '15=260101']) {
    const path = `/00/106141412345678908?${query}`
    const resolved = await app.inject({ method: 'GET', url: path })
    t.equal(resolved.statusCode, 400, path)
    t.match(resolved.json().detail, 'may only be used with', path)
    t.equal((await capture(app, `https://id.gs1.org${path}`)).statusCode, 400, `capture refuses ${path}`)
  }
  t.equal((await app.inject({ method: 'GET', url: `/01/${gtin}?17=260101` })).statusCode, 404, 'an expiry date with a GTIN is fine (404: unknown key)')
})
