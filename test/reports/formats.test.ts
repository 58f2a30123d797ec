import readXlsxFile from 'read-excel-file/node'
import t from 'tap'
import { build } from '../helper.js'
import { bearer } from '../security/fixtures.js'
import { key, loadGapChain, LOT, packP01, PERIOD } from './gap-chain.js'

const app = await build(t)
const world = await loadGapChain(app)
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const period = `from=${encodeURIComponent(PERIOD.from)}&to=${encodeURIComponent(PERIOD.to)}`

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ url, headers: { ...bearer(world.authority), ...headers } })
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`)
  return response
}

const sheets = async (body: Buffer) => new Map((await readXlsxFile(body)).map((s) => [s.sheet, s.data]))

t.test('the format follows Accept, and ?format overrides it', async (t) => {
  for (const path of [`/reports/activity?${period}`, `/reports/chain?${period}`, `/reports/recall?epc=${encodeURIComponent(LOT.P01)}`]) {
    t.match((await get(path)).headers['content-type'], /^application\/json/, `${path}: JSON for any`)
    t.match((await get(path, { accept: 'text/csv' })).headers['content-type'], /^text\/csv/)
    t.equal((await get(path, { accept: XLSX })).headers['content-type'], XLSX)
    t.match((await get(path, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })).headers['content-type'], /^text\/html/)
    t.match((await get(`${path}&format=csv`, { accept: 'text/html' })).headers['content-type'], /^text\/csv/)
  }
  const refused = await app.inject({ url: `/reports/chain?${period}`, headers: { ...bearer(world.authority), accept: 'image/png' } })
  t.equal(refused.statusCode, 406)
})

t.test('chain report: CSV and XLSX name the gaps and the organisations, in Vietnamese by default', async (t) => {
  const csv = (await get(`/reports/chain?${period}&format=csv`)).body
  t.ok(csv.startsWith('\uFEFF'), 'UTF-8 with a byte order mark')
  t.match(csv, /Thiếu bước giao hàng,distributor,Công ty CP Phân phối Tân Bình/)
  t.match(csv, /Thiếu bước nhận hàng,supermarketB,/)
  t.match(csv, /Không truy được nguồn gốc,farmB,/)
  t.match(csv, /distributor,Công ty CP Phân phối Tân Bình,Tất cả,2,3,0\.6667/)
  const english = (await get(`/reports/chain?${period}&format=csv`, { 'accept-language': 'en-GB,en;q=0.9' })).body
  t.match(english, /Shipping not recorded,distributor,/)
  t.match((await get(`/reports/chain?${period}&format=csv&lang=en`)).body, /Origin not reached,farmB,/)

  const book = await sheets((await get(`/reports/chain?${period}&format=xlsx`)).rawPayload)
  const gaps = book.get('Các mắt xích bị đứt')!
  t.same(gaps[0]!.slice(0, 2), ['Loại', 'Tổ chức'])
  t.same(gaps.slice(1).map((row) => [row[0], row[1]]), [
    ['Thiếu bước giao hàng', 'distributor'],
    ['Thiếu bước nhận hàng', 'supermarketB'],
    ['Không truy được nguồn gốc', 'farmB'],
  ])
  const completeness = book.get('Mức độ đầy đủ theo tổ chức v')!
  const distributor = completeness.find((row) => row[0] === 'distributor' && row[2] === 'Tất cả')!
  t.same(distributor.slice(3), [2, 3, 0.6667], 'numbers stay numbers')
})

t.test('activity report in every format', async (t) => {
  const json = (await get(`/reports/activity?${period}`)).json()
  t.match(json, { kind: 'activity', totals: { events: 23, organizations: 7, gtins: 5, lots: 6, recalls: 1 } })
  t.same(json.organizations.map((o: { organization: string }) => o.organization), ['distributor', 'farmA', 'farmB', 'processor', 'slaughterhouse', 'supermarketA', 'supermarketB'])
  t.match(json.organizations[0], { organization: 'distributor', events: 3, gtins: 2, lots: 0 })
  t.same(json.recalls[0].items, [1, 2, 3, 4].map((n) => key(packP01(n))), 'the recall reached the four packs of P-01')
  t.same(json.publication, {
    available: true,
    held: 2,
    rejected: 1,
    events: [
      { eventID: world.heldReceipt, organization: 'supermarketA', eventTime: '2024-05-04T04:00:00.000Z', state: 'held', reasons: ['review-policy'] },
      { eventID: world.rejectedSale, organization: 'supermarketA', eventTime: '2024-05-05T08:00:00.000Z', state: 'rejected', reasons: ['review-policy'], comment: 'Thiếu hóa đơn bán lẻ' },
      { eventID: world.unreceivedSale, organization: 'supermarketB', eventTime: '2024-05-05T09:30:00.000Z', state: 'held', reasons: ['foreign-identifier'] },
    ],
  }, 'held and rejected events with their reasons, and the reviewer’s comment')
  const ocop = (await get(`/reports/activity?${period}&category=ocop`)).json()
  t.match(ocop.totals, { gtins: 1, lots: 1 })
  const csv = (await get(`/reports/activity?${period}`, { accept: 'text/csv' })).body
  t.match(csv, /Tổ chức ghi nhận,7/)
  t.match(csv, /processor,Sản phẩm OCOP,3,1,1/)
  t.match(csv, /supermarketA,2024-05-05T08:00:00.000Z,Từ chối,Tổ chức áp dụng chính sách duyệt: mọi sự kiện chờ cán bộ duyệt trước khi công bố; Thiếu hóa đơn bán lẻ/)
  t.match((await get(`/reports/activity?${period}&format=csv&lang=en`)).body, /supermarketB,2024-05-05T09:30:00.000Z,Held,EPCs or EPC classes do not belong/)
  const book = await sheets((await get(`/reports/activity?${period}`, { accept: XLSX })).rawPayload)
  t.same([...book.keys()], ['Tổng hợp', 'Tổ chức ghi nhận', 'Theo tổ chức và nhóm sản phẩ', 'Sự kiện theo loại và công đo', 'Sự kiện bị giữ lại hoặc từ c', 'Sự kiện thu hồi và các mặt h'], 'sheet names cut to what Excel takes')
  t.same(book.get('Tổ chức ghi nhận')![4]!.slice(0, 3), ['processor', 'Xưởng chế biến Thủ Đức', 7])
  const html = (await get(`/reports/activity?${period}`, { accept: 'text/html' })).body
  t.match(html, /<html lang="vi">/)
  t.match(html, /<svg [^>]*role="img"/)
  t.notMatch(html, /<script/i, 'no script')
})

t.test('recall spreadsheet: every affected item with the key data elements of each step', async (t) => {
  const sheet = (await get(`/reports/recall?epc=${encodeURIComponent(LOT.P01)}`)).json()
  t.equal(sheet.items, 5, 'the lot and its four packs')
  const pack3 = sheet.rows.filter((r: { item: string }) => r.item === key(packP01(3)))
  t.same(pack3.map((r: { bizStep: string }) => r.bizStep), ['commissioning', 'shipping', 'receiving', 'receiving', 'retail_selling'])
  t.match(pack3[1], { lot: key(LOT.P01), quantity: '1', location: undefined, bizTransactions: ['po:urn:epcglobal:cbv:bt:8930005000004:PO-D'] })
  t.match(pack3[1].source, ['owning_party:https://id.gs1.org/417/8930004000008', 'location:https://id.gs1.org/414/8930004000015'])
  const lot = sheet.rows.find((r: { item: string; bizStep: string }) => r.item === key(LOT.P01) && r.bizStep === 'creating_class_instance')
  t.match(lot, { quantity: '2', unit: 'KGM', location: 'https://id.gs1.org/414/8930004000015' })
  const [only] = await readXlsxFile((await get(`/reports/recall?epc=${encodeURIComponent(LOT.P01)}&format=xlsx&lang=en`)).rawPayload)
  t.same(only!.data[0]!.slice(0, 7), ['Item', 'EPC URN', 'Traceability lot code', 'GTIN', 'Product', 'Quantity', 'Unit'])
  t.equal(only!.data.length, sheet.rows.length + 1, 'one row per step, under one header row')
  const csv = (await get(`/reports/recall?epc=${encodeURIComponent(LOT.P01)}&format=csv`)).body
  t.equal(csv.trim().split('\r\n').length, sheet.rows.length + 1, 'one table: a header and the rows')
  t.equal((await app.inject({ url: '/reports/recall?epc=urn:epc:id:sgtin:8930009.000001.1', headers: bearer(world.authority) })).statusCode, 404)
})
