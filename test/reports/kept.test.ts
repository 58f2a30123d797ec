import { createHash } from 'node:crypto'
import readXlsxFile from 'read-excel-file/node'
import { sql } from 'kysely'
import t from 'tap'
import { keepPeriodicReports } from '../../src/reports/kept.js'
import { REPORT_QUEUE } from '../../src/reports/schedule.js'
import { build } from '../helper.js'
import { bearer } from '../security/fixtures.js'
import { loadGapChain, PERIOD } from './gap-chain.js'

const app = await build(t)
const world = await loadGapChain(app)
const settings = { originDepth: 10, timeZone: 'Asia/Ho_Chi_Minh' }
const deps = { db: app.db, pool: app.pool }
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { ...bearer(world.authority), ...headers } })

interface Kept {
  id: string
  kind: string
  from: string
  to: string
  trigger: string
  contentHash: string
  ledgerSeq: number
}

t.test('the monthly schedule is registered with pg-boss', async (t) => {
  const schedules = await app.queue.getSchedules()
  t.match(schedules.find((s) => s.name === REPORT_QUEUE), { cron: '0 1 1 * *', options: { tz: 'Asia/Ho_Chi_Minh' } })
})

t.test('periodic reports are generated for the month before, kept once, listed and downloadable in each format', async (t) => {
  const kept = await keepPeriodicReports(deps, settings, new Date('2024-06-01T01:00:00+07:00'))
  t.same(kept.map((r) => r.kind), ['activity', 'chain'])
  t.same(await keepPeriodicReports(deps, settings, new Date('2024-06-15T12:00:00+07:00')), [], 'kept once per kind and period')

  const list = (await get('/reports')).json() as { reports: Kept[] }
  t.same(list.reports.map((r) => [r.kind, r.from, r.to, r.trigger]), [
    ['chain', '2024-04-30T17:00:00.000Z', '2024-05-31T17:00:00.000Z', 'schedule'],
    ['activity', '2024-04-30T17:00:00.000Z', '2024-05-31T17:00:00.000Z', 'schedule'],
  ])
  const chain = list.reports[0]!
  const json = await get(`/reports/${chain.id}`)
  t.equal(createHash('sha256').update(json.rawPayload).digest('hex'), chain.contentHash, 'the JSON download hashes to the recorded content hash')
  t.match(json.json(), { kind: 'chain', gaps: [{ organization: 'distributor' }, { organization: 'supermarketB' }, { organization: 'farmB' }] })
  t.match((await get(`/reports/${chain.id}?format=csv`)).body, /Thiếu bước giao hàng,distributor/)
  t.match((await get(`/reports/${chain.id}?format=html&lang=en`)).body, /Shipping not recorded/)
  const [summary] = await readXlsxFile((await get(`/reports/${chain.id}`, { accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })).rawPayload)
  t.equal(summary!.sheet, 'Tổng hợp')
  t.equal((await get('/reports/999999')).statusCode, 404)
  t.equal((await get('/reports/abc')).statusCode, 404)
  t.equal((await get('/reports', { authorization: '' })).statusCode, 401)
  t.equal((await get('/reports', bearer(world.queryOnly))).statusCode, 403)
})

t.test('an ad hoc report is kept on request too', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/reports', headers: bearer(world.auditor), payload: { kind: 'activity', ...PERIOD, category: 'ocop' } })
  t.equal(response.statusCode, 201, response.body)
  const kept = response.json() as Kept & { category: string }
  t.match(kept, { kind: 'activity', trigger: 'request', category: 'ocop' })
  t.equal(response.headers.location, `/reports/${kept.id}`)
  t.match((await get(`/reports/${kept.id}`)).json(), { scope: { category: 'ocop' }, totals: { gtins: 1 } })
})

t.test('a kept report can be shown unchanged against the ledger, and a change shows', async (t) => {
  const [first] = ((await get('/reports')).json() as { reports: Kept[] }).reports.slice(-1)
  const proof = (await get(`/reports/${first!.id}/proof`)).json()
  t.match(proof, { id: first!.id, contentHash: first!.contentHash, recordedHash: first!.contentHash, ledgerSeq: first!.ledgerSeq, unchanged: true })
  t.match((await get('/audit/ledger/verify', bearer(world.auditor))).json(), { valid: true }, 'the ledger with report entries among capture entries verifies')

  await sql`UPDATE report SET content = replace(content, '"events":23', '"events":22') WHERE id = ${Number(first!.id)}`.execute(app.db)
  const changed = (await get(`/reports/${first!.id}/proof`)).json()
  t.equal(changed.unchanged, false, 'an edited report no longer matches its ledger record')
  t.not(changed.contentHash, changed.recordedHash)

  await sql`UPDATE ledger_record SET digest = decode(${changed.contentHash}, 'hex') WHERE entry_seq = ${first!.ledgerSeq}`.execute(app.db)
  const verification = (await get('/audit/ledger/verify', bearer(world.auditor))).json()
  t.match(verification, { valid: false, firstBroken: { kind: 'merkle-root', seq: first!.ledgerSeq } }, 'rewriting the record too breaks the chain')
})
