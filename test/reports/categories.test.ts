import t from 'tap'
import { build } from '../helper.js'
import { gs1CheckDigit } from '../../src/identifiers/index.js'
import { bearer, createKey, post } from '../security/fixtures.js'

const gtin13 = `893000100001${gs1CheckDigit('893000100001')}`
const gtin8 = `8930001${gs1CheckDigit('8930001')}`
const wrong = `893000100001${(Number(gs1CheckDigit('893000100001')) + 1) % 10}`

const app = await build(t)
await post(app, '/admin/organizations', { id: 'province', name: 'Sở Nông nghiệp và Môi trường', identifiers: [] })
const authority = (await createKey(app, 'province', ['authority'])).key
const auditor = (await createKey(app, 'province', ['auditor'])).key
const put = (id: string, payload: unknown, key = authority) =>
  app.inject({ method: 'PUT', url: `/admin/product-categories/${id}`, headers: bearer(key), payload: payload as object })

t.test('an authority keeps the priority product list', async (t) => {
  const created = await put('rau-qua', { name: { vi: 'Rau quả', en: 'Vegetables and fruit' }, gtins: [gtin13, gtin8], gpcBricks: ['10006047'] })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { id: 'rau-qua', gtins: [`0${gtin13}`, `000000${gtin8}`], companyPrefixes: [], gpcBricks: ['10006047'] }, 'GTINs kept as 14 digits')
  const replaced = await put('rau-qua', { name: { vi: 'Rau, quả', en: 'Vegetables and fruit' }, companyPrefixes: ['8930001'] })
  t.equal(replaced.statusCode, 200)
  t.match(replaced.json(), { name: { vi: 'Rau, quả' }, gtins: [], companyPrefixes: ['8930001'] })
  await put('ocop', { name: { vi: 'OCOP', en: 'OCOP' }, gpcBricks: ['10005769'] })
  const list = await app.inject({ url: '/admin/product-categories', headers: bearer(auditor) })
  t.same(list.json().categories.map((c: { id: string }) => c.id), ['ocop', 'rau-qua'], 'auditors read it')
})

t.test('bad categories are refused with a problem', async (t) => {
  const badGtin = await put('x', { name: { vi: 'X', en: 'X' }, gtins: [wrong] })
  t.equal(badGtin.statusCode, 400)
  t.match(badGtin.json(), { type: 'epcisException:ValidationException', errors: [{ pointer: '/gtins/0' }] })
  t.equal((await put('x', { name: { vi: 'X', en: 'X' } })).statusCode, 400, 'a category matches something')
  t.equal((await put('x', { name: { vi: 'X', en: 'X' }, companyPrefixes: ['12'] })).statusCode, 400)
  t.equal((await put('bad id!', { name: { vi: 'X', en: 'X' }, companyPrefixes: ['8930001'] })).statusCode, 400)
  t.equal((await put('x', { name: { vi: 'X', en: 'X' }, companyPrefixes: ['8930001'] }, auditor)).statusCode, 403, 'auditors only read')
})
