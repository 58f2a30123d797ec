/**
 * An event that reaches a repository by two paths: the enterprise delivers it itself (its own key at N), and the
 * province forwards it too (its forward key, the enterprise named as origin). The duplicate check of the capture
 * path is per delivering organisation (migration 0010's event_identity_key); the move also skips an event whose
 * recording organisation stored it already (src/federation/recording-organisations.ts), in either order, by a
 * job or by POST /events.
 */
import { sql } from 'kysely'
import t from 'tap'
import { withProvenance } from '../../src/federation/provenance-header.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { gln } from '../security/fixtures.js'
import { repository } from './helpers.js'

const ENTERPRISE = gln('893456700001')
const PROVINCE = gln('893200000001')
const id = (n: number) => `urn:uuid:7d000000-0000-4000-8000-00000000000${n}`

t.test('an event delivered directly and forwarded is stored once', async (t) => {
  const national = await repository(t, { PUBLIC_BASE_URL: 'https://n.example.vn/epcis' })
  await national.json('POST', '/admin/organizations', { body: { id: 'enterprise', name: 'E', identifiers: [ENTERPRISE] } })
  await national.json('POST', '/admin/organizations', { body: { id: 'province', name: 'P', identifiers: [PROVINCE] } })
  const enterprise = await national.json('POST', '/admin/api-keys', { body: { organization: 'enterprise', roles: ['capture'] } })
  const province = await national.json('POST', '/admin/api-keys', { body: { organization: 'province', roles: ['capture', 'forward'] } })
  const forwarded = (event: Record<string, unknown>) =>
    withProvenance(epcisDocument([event]), [{
      eventID: event.eventID as string, originOrganisation: `https://id.gs1.org/417/${ENTERPRISE}`,
      originRepository: 'https://e.example.vn/epcis', originRecordTime: '2024-05-01T03:00:00Z',
    }])
  const [first, second] = [objectEvent({ eventID: id(1) }), objectEvent({ eventID: id(2) })]
  t.equal((await national.capture(epcisDocument([first]), enterprise.key)).storedCount, 1)
  t.equal((await national.capture(forwarded(first), province.key)).duplicateCount, 1, 'forwarded after the direct delivery')
  t.equal((await national.capture(forwarded(second), province.key)).storedCount, 1)
  t.equal((await national.capture(epcisDocument([second]), enterprise.key)).duplicateCount, 1, 'delivered directly after the forward')
  const third = objectEvent({ eventID: id(3) })
  t.equal((await national.capture(forwarded(third), province.key)).storedCount, 1)
  const single = await national.call('POST', '/events', { key: enterprise.key, body: { '@context': epcisDocument([])['@context'], ...third } })
  t.equal(single.status, 409, 'POST /events of the forwarded event: already stored, as a repeat by its enterprise would be')
  const { rows } = await sql<{ event_id: string; n: number }>`SELECT event_id, count(*)::int AS n FROM event GROUP BY 1 ORDER BY 1`.execute(national.app.db)
  t.same(rows, [{ event_id: id(1), n: 1 }, { event_id: id(2), n: 1 }, { event_id: id(3), n: 1 }])
})
