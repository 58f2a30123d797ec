import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { gs1CheckDigit } from '../../src/identifiers/index.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'
import { captureAndWait } from '../helper.js'

export const gln = (twelve: string) => `${twelve}${gs1CheckDigit(twelve)}`

/** Three organisations: alpha ships to beta; gamma takes part in nothing. */
export const ALPHA_GLN = gln('893456700001')
export const BETA_GLN = gln('893999900001')
export const GAMMA_PREFIX = '8937777'

export interface World {
  keys: { alpha: string; beta: string; gamma: string; alphaLinksOnly: string; expired: string; revoked: string }
  /** eventIDs by what they are. */
  events: { alphaToBeta: string; alphaPrivate: string; betaPrivate: string }
  /** An EPC only alpha's private event names. */
  alphaPrivateEpc: string
}

export async function post(app: FastifyInstance, url: string, body: unknown) {
  const response = await app.inject({ method: 'POST', url, payload: body as Json })
  if (response.statusCode !== 201) throw new Error(`POST ${url} answered ${response.statusCode}: ${response.body}`)
  return response.json()
}

export async function createKey(app: FastifyInstance, organization: string, roles: string[], expiresAt?: string): Promise<{ id: string; key: string }> {
  return post(app, '/admin/api-keys', { organization, roles, ...(expiresAt ? { expiresAt } : {}) })
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

/** Organisations, keys and events for the visibility tests (captured with each organisation's own key). */
export async function buildWorld(app: FastifyInstance): Promise<World> {
  await post(app, '/admin/organizations', { id: 'alpha', name: 'Alpha Farm', identifiers: [ALPHA_GLN, '8934567'] })
  await post(app, '/admin/organizations', { id: 'beta', name: 'Beta Market', identifiers: [`urn:epc:id:sgln:8939999.00001.0`] })
  await post(app, '/admin/organizations', { id: 'gamma', name: 'Gamma Trading', identifiers: [GAMMA_PREFIX] })
  const alpha = (await createKey(app, 'alpha', ['capture', 'query', 'links'])).key
  const beta = (await createKey(app, 'beta', ['capture', 'query'])).key
  const gamma = (await createKey(app, 'gamma', ['capture', 'query', 'links'])).key
  const alphaLinksOnly = (await createKey(app, 'alpha', ['links'])).key
  const expiring = await createKey(app, 'alpha', ['capture', 'query'])
  await sql`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = ${expiring.id}`.execute(app.db)
  const revoking = await createKey(app, 'alpha', ['capture', 'query'])
  const revoked = await app.inject({ method: 'DELETE', url: `/admin/api-keys/${revoking.id}` })
  if (revoked.statusCode !== 204) throw new Error(`revoke answered ${revoked.statusCode}`)

  const events = { alphaToBeta: 'urn:uuid:0a1fa000-0000-4000-8000-000000000001', alphaPrivate: 'urn:uuid:0a1fa000-0000-4000-8000-000000000002', betaPrivate: 'urn:uuid:0be7a000-0000-4000-8000-000000000003' }
  const alphaPrivateEpc = 'urn:epc:id:sgtin:8934567.012345.SECRET1'
  const shipped = objectEvent({
    eventID: events.alphaToBeta,
    bizLocation: { id: 'urn:epc:id:sgln:8934567.00001.0' },
    destinationList: [{ type: 'owning_party', destination: `urn:epc:id:pgln:8939999.00001` }],
  })
  const secret = objectEvent({
    eventID: events.alphaPrivate,
    epcList: [alphaPrivateEpc],
    bizLocation: { id: 'urn:epc:id:sgln:8934567.00001.0' },
  })
  const header = {
    epcisMasterData: {
      vocabularyList: [
        {
          type: 'urn:epcglobal:epcis:vtype:EPCClass',
          vocabularyElementList: [{ id: 'urn:epc:idpat:sgtin:8934567.012345.*', attributes: [{ id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: 'Alpha secret product' }] }],
        },
        // A known location, so that alpha's events pass the publication checks (src/publication) and are published.
        { type: 'urn:epcglobal:epcis:vtype:BusinessLocation', vocabularyElementList: [{ id: 'urn:epc:id:sgln:8934567.00001.0' }] },
      ],
    },
  }
  const one = await captureAndWait(app, epcisDocument([shipped, secret], [], header), bearer(alpha))
  if (!one.success) throw new Error(JSON.stringify(one.errors))
  const theirs = objectEvent({
    eventID: events.betaPrivate,
    epcList: ['urn:epc:id:sgtin:8939999.054321.B1'],
    bizLocation: { id: 'urn:epc:id:sgln:8939999.00001.0' },
  })
  const two = await captureAndWait(app, epcisDocument([theirs]), bearer(beta))
  if (!two.success) throw new Error(JSON.stringify(two.errors))
  return { keys: { alpha, beta, gamma, alphaLinksOnly, expired: expiring.key, revoked: revoking.key }, events, alphaPrivateEpc }
}

/** The eventIDs among `ids` that a response body names. */
export function named(body: string, ids: string[]): string[] {
  return ids.filter((id) => body.includes(id))
}
