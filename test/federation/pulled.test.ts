import { sql } from 'kysely'
import t from 'tap'
import { acceptCapture } from '../../src/capture/service.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { gln } from '../security/fixtures.js'
import { repository, type Repository } from './helpers.js'

const X_URL = 'https://x.example.vn/epcis'
const P_URL = 'https://p.example.vn/epcis'
const FARM = gln('893456700001')
const [x1, x2] = ['urn:uuid:5a000000-0000-4000-8000-000000000001', 'urn:uuid:5a000000-0000-4000-8000-000000000002']

async function auditorKey(repo: Repository, orgId: string): Promise<string> {
  await repo.json('POST', '/admin/organizations', { body: { id: orgId, name: orgId, identifiers: [] } })
  return (await repo.json('POST', '/admin/api-keys', { body: { organization: orgId, roles: ['auditor'] } })).key
}

const eventsOf = (document: any): any[] => document.epcisBody.queryResults.resultsBody.eventList

t.test('events pulled from a peer record the peer, and keep the provenance a Nguồn peer shows its auditors', async (t) => {
  const peer = await repository(t, { PUBLIC_BASE_URL: X_URL })
  await peer.json('POST', '/admin/organizations', { body: { id: 'farm', name: 'Farm', identifiers: [FARM] } })
  const farmKey = (await peer.json('POST', '/admin/api-keys', { body: { organization: 'farm', roles: ['capture'] } })).key
  t.equal((await peer.capture(epcisDocument([objectEvent({ eventID: x1 }), objectEvent({ eventID: x2 })]), farmKey)).success, true)
  const peerAuditor = await auditorKey(peer, 'portal')

  const here = await repository(t, { PUBLIC_BASE_URL: P_URL })
  const auditor = await auditorKey(here, 'inspectorate')
  // What the pull side does with a page of the peer's GET /events: capture it as coming from that peer.
  const pull = async (document: unknown) => {
    const { captureId } = await acceptCapture({ db: here.app.db, pool: here.app.pool, queue: here.app.queue, captureLimit: 10_000 }, document, 'rollback', {
      organisationId: null,
      declaresForAll: false,
      sourcePeer: { id: 'x', repository: X_URL },
    })
    here.app.wakeCaptureWorkers()
    for (;;) {
      const job = await here.json('GET', `/capture/${captureId}`)
      if (!job.running) return job
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  // A page read with a key that is shown no provenance (any EPCIS repository answers so).
  const plain = await peer.json('GET', `/events?EQ_eventID=${x1}`)
  t.equal(plain['nguon:provenance'], undefined)
  t.match(await pull(plain), { success: true, storedCount: 1 })
  // A page read with the peer's auditor key: the peer says who first captured each event.
  const told = await peer.json('GET', `/events?EQ_eventID=${x2}`, { key: peerAuditor })
  t.same(told['nguon:provenance'].map((p: any) => [p.eventID, p.originOrganisation, p.originRepository]), [[x2, `https://id.gs1.org/417/${FARM}`, X_URL]])
  t.match(await pull(told), { success: true, storedCount: 1 })

  const recordTimeAtPeer = async (eventId: string) => eventsOf(await peer.json('GET', `/events/${eventId}`))[0].recordTime
  const shown = async (eventId: string) => (await here.json('GET', `/events/${eventId}`, { key: auditor }))['nguon:provenance']
  t.same(await shown(x1), [{
    eventID: x1, sourcePeer: 'x', sourceApiKey: null, originOrganisation: null, originOrganisationId: null,
    originRepository: X_URL, originRecordTime: await recordTimeAtPeer(x1),
  }], 'pulled without a claim: the peer, its record time there, an organisation it did not name')
  t.same(await shown(x2), [{
    eventID: x2, sourcePeer: 'x', sourceApiKey: null, originOrganisation: `https://id.gs1.org/417/${FARM}`, originOrganisationId: null,
    originRepository: X_URL, originRecordTime: await recordTimeAtPeer(x2),
  }], 'pulled with the peer\'s claim')
  const ids = async (params: string) => eventsOf(await here.json('GET', `/events?${params}`, { key: auditor })).map((e) => e.eventID).sort()
  t.same(await ids('EQ_sourceRepository=x'), [x1, x2], 'by peer id')
  t.same(await ids(`EQ_sourceRepository=${encodeURIComponent(X_URL)}`), [x1, x2], 'by the peer\'s EPCIS root')
  t.same(await ids(`EQ_originOrganisation=${FARM}`), [x2])
  const jobs = await sql<{ source_peer: string; source_repository: string }>`SELECT source_peer, source_repository FROM capture_job`.execute(here.app.db)
  t.same(jobs.rows, [{ source_peer: 'x', source_repository: X_URL }, { source_peer: 'x', source_repository: X_URL }])
})
