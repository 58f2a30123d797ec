import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { objectEvent } from '../factories.js'
import { ADMIN_KEY, ledgerApp, postEvent } from './helpers.js'

async function keyFor(app: FastifyInstance, organization: string, roles: string[]): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/admin/api-keys',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
    payload: { organization, roles },
  })
  if (response.statusCode !== 201) throw new Error(`api key: ${response.statusCode} ${response.body}`)
  return response.json().key
}

t.test('the ledger is for auditors; a proof only for an event the caller may see', async (t) => {
  const { app } = await ledgerApp(t)
  const organisation = await app.inject({
    method: 'POST',
    url: '/admin/organizations',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
    payload: { id: 'htx-tay-ninh', name: 'HTX Tây Ninh', identifiers: [] },
  })
  t.equal(organisation.statusCode, 201)
  const eventID = 'urn:uuid:0a4c9f10-2222-4000-8000-000000000001'
  t.equal((await postEvent(app, { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ eventID }) })).statusCode, 201)
  const query = await keyFor(app, 'htx-tay-ninh', ['query'])
  const auditor = await keyFor(app, 'htx-tay-ninh', ['auditor'])
  const as = (key: string, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } })
  const proofUrl = `/events/${encodeURIComponent(eventID)}/proof`

  t.equal((await as(query, '/audit/ledger')).statusCode, 403, 'query role: not the ledger')
  t.equal((await as(query, '/audit/ledger/verify')).statusCode, 403)
  t.equal((await as(auditor, '/audit/ledger')).statusCode, 200)
  t.equal((await as(auditor, '/audit/ledger/verify')).json().valid, true)
  t.equal((await as(query, proofUrl)).statusCode, 404, 'another organisation\'s event: no proof, not even its existence')
  t.equal((await as(auditor, proofUrl)).statusCode, 200, 'auditors see every event')
  t.equal((await app.inject({ method: 'GET', url: proofUrl })).statusCode, 401)
})
