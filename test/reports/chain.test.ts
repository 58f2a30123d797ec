import t from 'tap'
import { build } from '../helper.js'
import { bearer } from '../security/fixtures.js'
import { key, loadGapChain, LOT, packP01, packP02, PERIOD } from './gap-chain.js'

const app = await build(t)
const world = await loadGapChain(app)

interface Chain {
  checks: { receipts: number; shipments: number; retailItems: number }
  completeness: Array<{ organization: string | null; category: string | null; complete: number; total: number; share: number }>
  gaps: Array<{ kind: string; organization: string | null; party: string; eventIDs: string[]; identifiers: string[]; reportedBy?: string | null }>
}

const query = (extra = '') => `/reports/chain?from=${encodeURIComponent(PERIOD.from)}&to=${encodeURIComponent(PERIOD.to)}${extra}`
async function chain(extra = '', key_ = world.authority): Promise<Chain> {
  const response = await app.inject({ url: query(extra), headers: { ...bearer(key_), accept: 'application/json' } })
  t.equal(response.statusCode, 200, response.body)
  return response.json() as Chain
}

t.test('the chain report names exactly the gaps put in, and the organisations whose step is missing', async (t) => {
  const report = await chain()
  t.same(report.checks, { receipts: 6, shipments: 6, retailItems: 3 })
  t.same(
    report.gaps.map((g) => ({ kind: g.kind, organization: g.organization, eventIDs: g.eventIDs, identifiers: g.identifiers })),
    [
      { kind: 'missing-shipping', organization: 'distributor', eventIDs: [world.unmatchedReceipt], identifiers: [3, 4].map((n) => key(packP01(n))) },
      { kind: 'missing-receiving', organization: 'supermarketB', eventIDs: [world.unmatchedShipment], identifiers: [1, 2].map((n) => key(packP02(n))) },
      { kind: 'no-origin', organization: 'farmB', eventIDs: [], identifiers: [key(packP02(1))] },
    ],
  )
  t.equal(report.gaps[2]!.party, key(LOT.FB), 'the no-origin gap names the lot that has no commissioning')
  t.equal(report.gaps[0]!.reportedBy, 'supermarketB', 'who recorded the receipt without shipment')
})

t.test('completeness shares are exact per organisation and per category', async (t) => {
  const report = await chain()
  const row = (organization: string, category: string | null) => {
    const found = report.completeness.find((c) => c.organization === organization && c.category === category)
    return found && [found.complete, found.total, found.share]
  }
  t.same(row('farmA', null), [3, 3, 1])
  t.same(row('farmA', 'meat'), [2, 2, 1])
  t.same(row('farmB', null), [1, 2, 0.5])
  t.same(row('farmB', 'ocop'), [0, 1, 0])
  t.same(row('slaughterhouse', null), [3, 3, 1])
  t.same(row('processor', null), [2, 2, 1])
  t.same(row('processor', 'ocop'), [1, 1, 1])
  t.same(row('distributor', null), [2, 3, 0.6667])
  t.same(row('distributor', 'meat'), [2, 3, 0.6667])
  t.same(row('distributor', 'ocop'), [1, 1, 1])
  t.same(row('supermarketA', null), [1, 1, 1])
  t.same(row('supermarketB', null), [0, 1, 0])
  t.equal(report.completeness.filter((c) => c.category === null).length, 7, 'one overall row per organisation')
  t.notOk(report.completeness.some((c) => c.organization === null), 'every checked party is a registered organisation')
})

t.test('cut by category and by organisation', async (t) => {
  const ocop = await chain('&category=ocop')
  t.same(ocop.gaps.map((g) => [g.kind, g.organization]), [['missing-receiving', 'supermarketB'], ['no-origin', 'farmB']])
  t.same(ocop.checks, { receipts: 1, shipments: 2, retailItems: 1 })
  const distributor = await chain('&organization=distributor')
  t.same(distributor.gaps.map((g) => g.kind), ['missing-shipping'])
  t.ok(distributor.completeness.every((c) => c.organization === 'distributor'))
  const missing = await app.inject({ url: query('&category=nope'), headers: bearer(world.authority) })
  t.equal(missing.statusCode, 404)
})

t.test('who may read reports, and bad periods', async (t) => {
  t.equal((await app.inject({ url: query(), headers: bearer(world.queryOnly) })).statusCode, 403)
  t.equal((await app.inject({ url: query(), headers: bearer(world.auditor) })).statusCode, 200)
  const bad = await app.inject({ url: `/reports/chain?from=yesterday&to=${encodeURIComponent(PERIOD.to)}`, headers: bearer(world.authority) })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { type: 'epcisException:QueryParameterException' })
  const reversed = await app.inject({ url: `/reports/chain?from=${encodeURIComponent(PERIOD.to)}&to=${encodeURIComponent(PERIOD.from)}`, headers: bearer(world.authority) })
  t.equal(reversed.statusCode, 400)
  const outside = await chain().then(() => app.inject({ url: '/reports/chain?from=2024-07-01T00:00:00Z&to=2024-08-01T00:00:00Z', headers: bearer(world.authority) }))
  t.same((outside.json() as Chain).gaps, [], 'nothing in another month')
})
