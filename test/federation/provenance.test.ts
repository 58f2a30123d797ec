import { sql } from 'kysely'
import t from 'tap'
import { withProvenance, type ProvenanceEntry } from '../../src/federation/provenance-header.js'
import { ownRepository, provenanceEntries } from '../../src/federation/provenance-repository.js'
import { checkProofDocument } from '../../src/ledger/check-proof.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { gln } from '../security/fixtures.js'
import type { FastifyInstance } from 'fastify'
import { repository, type Repository } from './helpers.js'

const E_URL = 'https://e.example.vn/epcis'
const P_URL = 'https://p.example.vn/epcis'
const R_URL = 'https://erp.retailer.example.vn/epcis'
const FARM = gln('893456700001')
const SLAUGHTERHOUSE = gln('893888800001')
const ENTERPRISE = gln('893000000001')
const RETAILER = gln('893100000001')
const id = (n: number) => `urn:uuid:7e000000-0000-4000-8000-00000000000${n}`
const [e1, e2, e3, d1, r1, s1] = [1, 2, 3, 4, 5, 6].map(id) as [string, string, string, string, string, string]

async function organisation(repo: Repository, orgId: string, identifiers: string[], roles: string[]): Promise<{ id: string; key: string }> {
  await repo.json('POST', '/admin/organizations', { body: { id: orgId, name: orgId, identifiers } })
  return repo.json('POST', '/admin/api-keys', { body: { organization: orgId, roles } })
}

async function pkOf(app: FastifyInstance, eventId: string): Promise<number> {
  return (await sql<{ id: number }>`SELECT id FROM event WHERE event_id = ${eventId}`.execute(app.db)).rows[0]!.id
}

const eventsOf = (document: any): any[] => document.epcisBody.queryResults.resultsBody.eventList
const idsOf = (document: any): string[] => eventsOf(document).map((e) => e.eventID).sort()

t.test('provenance travels with forwarded events, is trusted only from a forward key, is queried and shown to auditors', async (t) => {
  // E: the enterprise repository, where a farm and a slaughterhouse capture.
  const enterprise = await repository(t, { PUBLIC_BASE_URL: E_URL })
  const farmAtE = await organisation(enterprise, 'farm', [`https://id.gs1.org/417/${FARM}`], ['capture'])
  const shAtE = await organisation(enterprise, 'slaughterhouse', [SLAUGHTERHOUSE], ['capture'])
  t.equal((await enterprise.capture(epcisDocument([objectEvent({ eventID: e1 })]), farmAtE.key)).success, true)
  t.equal((await enterprise.capture(epcisDocument([objectEvent({ eventID: e2 })]), shAtE.key)).success, true)
  t.equal((await enterprise.capture(epcisDocument([objectEvent({ eventID: e3 })]))).success, true, 'an operator capture: no organisation')

  // What E sends on: its events as an EPCISDocument with the header member the writer makes.
  // Identifiers as captured, and no recordTime (the origin's travels in the header): the bodies arrive as E stored them.
  const atE = await enterprise.json('GET', `/events?EQ_eventID=${[e1, e2, e3].join('|')}&orderBy=recordTime&orderDirection=ASC`, {
    headers: { 'gs1-epc-format': 'Never_Translates' },
  })
  const entries = await provenanceEntries(enterprise.app.db, await Promise.all([e1, e2, e3].map((e) => pkOf(enterprise.app, e))), ownRepository(E_URL))
  t.same(entries.map((e) => [e.eventID, e.originOrganisation, e.originRepository]), [
    [e1, `https://id.gs1.org/417/${FARM}`, E_URL],
    [e2, `https://id.gs1.org/417/${SLAUGHTERHOUSE}`, E_URL],
    [e3, null, E_URL],
  ])
  t.same(entries.map((e) => e.originRecordTime), eventsOf(atE).map((e) => e.recordTime), 'the record times at the origin')
  const asStored = eventsOf(atE).map(({ recordTime: _, ...event }) => event)
  const forwarded = withProvenance(epcisDocument(asStored, atE['@context'].filter((c: unknown) => typeof c === 'object')), entries)
  t.same((forwarded.epcisHeader as any)['nguon:provenance'], entries)

  // P: the provincial repository. E has an account there with capture and forward; the farm has one too.
  const province = await repository(t, { PUBLIC_BASE_URL: P_URL, SUBSCRIPTION_DESTINATIONS: 'any' })
  const enterpriseAtP = await organisation(province, 'enterprise-e', [ENTERPRISE], ['capture', 'forward', 'query'])
  const farmAtP = await organisation(province, 'farm', [FARM], ['query'])
  const retailerAtP = await organisation(province, 'retailer', [RETAILER], ['capture', 'query'])
  const auditor = await organisation(province, 'inspectorate', [gln('893999000001')], ['auditor'])

  const job = await province.capture(forwarded, enterpriseAtP.key)
  t.same({ success: job.success, storedCount: job.storedCount }, { success: true, storedCount: 3 })
  t.equal((await province.capture(epcisDocument([objectEvent({ eventID: d1 })]), enterpriseAtP.key)).storedCount, 1, 'E\'s own event, no header')
  // The retailer holds no forward role: it may not pass on another organisation's events, nor events of no one's.
  const claim = (originOrganisation: string | null): ProvenanceEntry[] => [
    { eventID: r1, originOrganisation, originRepository: R_URL, originRecordTime: '2024-01-01T00:00:00+07:00' },
  ]
  for (const origin of [FARM, null]) {
    const refused = await province.call('POST', '/capture', { key: retailerAtP.key, body: withProvenance(epcisDocument([objectEvent({ eventID: r1 })]), claim(origin)) })
    t.equal(refused.status, 403, `a claim naming ${origin} without the forward role`)
    t.match(await refused.json(), { type: /SecurityException/, errors: [{ message: /urn:uuid/ }] })
  }
  // Its own events, first captured in its own system, keep their origin there.
  const own = withProvenance(epcisDocument([objectEvent({ eventID: r1 })]), claim(`urn:epc:id:pgln:8931000.00001`))
  t.equal((await province.capture(own, retailerAtP.key)).storedCount, 1)
  const single = await province.call('POST', '/events', { key: retailerAtP.key, body: { '@context': atE['@context'], ...objectEvent({ eventID: s1 }) } })
  t.equal(single.status, 201)
  t.same(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_provenance`.execute(province.app.db)).rows[0]!.n,
    5,
    'rows only for the events that came from elsewhere, and the single event (its key has no job to keep it)',
  )

  const shown = async (eventId: string, key = auditor.key) =>
    (await province.json('GET', `/events/${encodeURIComponent(eventId)}`, { key }))['nguon:provenance']
  const recordTimeAtP = async (eventId: string) => eventsOf(await province.json('GET', `/events/${encodeURIComponent(eventId)}`))[0].recordTime
  t.same(await shown(e1), [{
    eventID: e1, sourcePeer: null, sourceApiKey: enterpriseAtP.id, originOrganisation: `https://id.gs1.org/417/${FARM}`,
    originOrganisationId: 'farm', originRepository: E_URL, originRecordTime: entries[0]!.originRecordTime,
  }])
  t.same(await shown(e2), [{
    eventID: e2, sourcePeer: null, sourceApiKey: enterpriseAtP.id, originOrganisation: `https://id.gs1.org/417/${SLAUGHTERHOUSE}`,
    originOrganisationId: null, originRepository: E_URL, originRecordTime: entries[1]!.originRecordTime,
  }], 'an origin organisation with no account here keeps its name')
  t.same((await shown(e3))[0].originOrganisation, null, 'an origin that named no organisation')
  t.same(await shown(d1), [{
    eventID: d1, sourcePeer: null, sourceApiKey: enterpriseAtP.id, originOrganisation: `https://id.gs1.org/417/${ENTERPRISE}`,
    originOrganisationId: 'enterprise-e', originRepository: P_URL, originRecordTime: await recordTimeAtP(d1),
  }], 'an event first captured here: its capturer, this repository, its record time')
  t.same(await shown(r1), [{
    eventID: r1, sourcePeer: null, sourceApiKey: retailerAtP.id, originOrganisation: `https://id.gs1.org/417/${RETAILER}`,
    originOrganisationId: 'retailer', originRepository: R_URL, originRecordTime: '2023-12-31T17:00:00.000Z',
  }], 'a claim about its own organisation is believed without the forward role')
  t.same((await shown(s1))[0].sourceApiKey, retailerAtP.id, 'POST /events keeps the key that sent it')
  t.equal(await shown(e1, enterpriseAtP.key), undefined, 'shown to auditors, authorities and the admin only')

  // Visibility follows the origin organisation: the farm sees its own forwarded event, not the slaughterhouse's.
  t.equal((await province.call('GET', `/events/${encodeURIComponent(e1)}`, { key: farmAtP.key })).status, 200)
  t.equal((await province.call('GET', `/events/${encodeURIComponent(e2)}`, { key: farmAtP.key })).status, 404)
  t.same(idsOf(await province.json('GET', '/events', { key: farmAtP.key })), [e1])
  t.same(idsOf(await province.json('GET', '/events', { key: enterpriseAtP.key })), [e1, e2, e3, d1].sort(), 'the forwarder still sees what it delivered')

  // The query parameters.
  const query = async (params: string, key = auditor.key) => idsOf(await province.json('GET', `/events?${params}`, { key }))
  t.same(await query('EQ_originOrganisation=farm'), [e1], 'by the organisation here')
  t.same(await query(`EQ_originOrganisation=${encodeURIComponent(`urn:epc:id:pgln:8934567.00001`)}`), [e1], 'by its PGLN as an EPC URN')
  t.same(await query(`EQ_originOrganisation=${SLAUGHTERHOUSE}`), [e2], 'by the GLN of an organisation with no account here')
  t.same(await query('EQ_originOrganisation=enterprise-e'), [d1], 'the forwarder is not the origin of what it forwarded')
  t.same(await query('EQ_originOrganisation=retailer'), [r1, s1].sort())
  t.same(await query(`EQ_sourceRepository=${encodeURIComponent(`${E_URL}/`)}`), [e1, e2, e3].sort())
  t.same(await query(`EQ_sourceRepository=${encodeURIComponent(E_URL)}&EQ_originOrganisation=farm|retailer`), [e1])
  const refused = await province.call('GET', '/events?EQ_originOrganisation=farm', { key: retailerAtP.key })
  t.equal(refused.status, 403, 'not for an organisation that sees only its own events')
  t.match(await refused.json(), { type: /SecurityException/ })

  // Named queries hold them too; only those who may use them subscribe to such a query.
  await province.json('POST', '/queries', { body: { name: 'from-farm', query: { EQ_originOrganisation: ['farm'] } } })
  t.same(idsOf(await province.json('GET', '/queries/from-farm/events', { key: auditor.key })), [e1])
  const subscription = { dest: 'http://127.0.0.1:9/hook', stream: true }
  const subscribed = await province.call('POST', '/queries/from-farm/subscriptions', { key: retailerAtP.key, body: subscription })
  t.equal(subscribed.status, 403, `an organisation does not subscribe to a provenance query: ${await subscribed.clone().text()}`)
  t.equal((await province.call('GET', '/queries/from-farm/events', { key: retailerAtP.key })).status, 403)

  // A repeated delivery stores nothing twice, and no provenance either.
  const again = await province.capture(forwarded, enterpriseAtP.key)
  t.same({ storedCount: again.storedCount, duplicateCount: again.duplicateCount }, { storedCount: 0, duplicateCount: 3 })
  t.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_provenance`.execute(province.app.db)).rows[0]!.n, 5)

  // P forwards on to the national level: E's events keep their origin, P's own are P's.
  const onward = await provenanceEntries(province.app.db, await Promise.all([e1, d1].map((e) => pkOf(province.app, e))), ownRepository(P_URL))
  t.same(onward, [
    { eventID: e1, originOrganisation: `https://id.gs1.org/417/${FARM}`, originRepository: E_URL, originRecordTime: entries[0]!.originRecordTime },
    { eventID: d1, originOrganisation: `https://id.gs1.org/417/${ENTERPRISE}`, originRepository: P_URL, originRecordTime: await recordTimeAtP(d1) },
  ])

  // The ledger covers forwarded events: the proof at P verifies, and says the event is stored as E stored it.
  for (const eventId of [e1, e2, e3]) {
    const path = `/events/${encodeURIComponent(eventId)}`
    const proofAtP = await province.json('GET', `${path}/proof`, { key: auditor.key })
    const proofAtE = await enterprise.json('GET', `${path}/proof`)
    t.equal((await checkProofDocument(proofAtP, await province.json('GET', path, { key: auditor.key }))).ok, true, `${eventId}: the proof at P verifies`)
    t.same(
      [proofAtP.proofs[0].eventHash, proofAtP.proofs[0].bodyDigest],
      [proofAtE.proofs[0].eventHash, proofAtE.proofs[0].bodyDigest],
      `${eventId}: the same event hash and body digest as at E`,
    )
  }
  t.match(await province.json('GET', '/audit/ledger/verify', { key: auditor.key }), { valid: true, events: 6 })
})

t.test('a malformed nguon:provenance is refused with a ValidationException, and nothing is stored', async (t) => {
  const province = await repository(t, { PUBLIC_BASE_URL: P_URL })
  const cases: Array<[string, unknown]> = [
    ['not a list', { eventID: e1 }],
    ['no originRepository', [{ eventID: e1, originOrganisation: FARM, originRecordTime: '2024-05-01T00:00:00Z' }]],
    ['a time without zone', [{ eventID: e1, originOrganisation: FARM, originRepository: E_URL, originRecordTime: '2024-05-01T00:00:00' }]],
    ['an organisation that is no URI', [{ eventID: e1, originOrganisation: 'the farm', originRepository: E_URL, originRecordTime: '2024-05-01T00:00:00Z' }]],
  ]
  for (const [name, member] of cases) {
    const document = withProvenance(epcisDocument([objectEvent({ eventID: e1 })]), [])
    ;(document.epcisHeader as Record<string, unknown>)['nguon:provenance'] = member
    const response = await province.call('POST', '/capture', { body: document })
    t.equal(response.status, 400, name)
    t.match(await response.json(), { type: /ValidationException/, errors: [{ pointer: /^\/epcisHeader\/nguon:provenance/ }] }, name)
  }
  t.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM capture_job`.execute(province.app.db)).rows[0]!.n, 0)
})
