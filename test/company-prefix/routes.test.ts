import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

t.test('company prefixes are learnt from captured URNs and managed by operators', async (t) => {
  const app = await build(t)
  await captureAndWait(app, epcisDocument([objectEvent({ epcList: ['urn:epc:id:sgtin:8934567.012345.1'] })]))
  const list = async () => (await app.inject({ method: 'GET', url: '/admin/company-prefixes' })).json()
  t.same((await list()).map((p: { prefix: string; source: string }) => [p.prefix, p.source]), [['8934567', 'captured']])

  t.equal((await app.inject({ method: 'PUT', url: '/admin/company-prefixes/8934567' })).statusCode, 200, 'known: 200')
  t.equal((await app.inject({ method: 'PUT', url: '/admin/company-prefixes/950600' })).statusCode, 201, 'new: 201')
  t.same((await list()).map((p: { prefix: string; source: string }) => [p.prefix, p.source]), [
    ['8934567', 'operator'],
    ['950600', 'operator'],
  ])
  t.equal((await app.inject({ method: 'PUT', url: '/admin/company-prefixes/12a' })).statusCode, 400)
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/company-prefixes/950600' })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/company-prefixes/950600' })).statusCode, 404)
})
