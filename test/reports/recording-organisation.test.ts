/**
 * Reports name the enterprise that recorded each step, not the repository that forwarded it (issue 17). The
 * national repository N is served over real HTTP; the provincial repository forwards to it as a peer does: a
 * POST /capture by its organisation's key, which holds the forward role, with each event's origin in the
 * document's nguon:provenance header. The farm has an account at N; the slaughterhouse is known at N only by the
 * GLN its events were forwarded under, and so is a retailer.
 */
import t from 'tap'
import { withProvenance, type ProvenanceEntry } from '../../src/federation/provenance-header.js'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { epcisDocument, type Json } from '../factories.js'
import { gln } from '../security/fixtures.js'
import { repository } from '../federation/helpers.js'

const N_URL = 'https://n.example.vn/epcis'
const E_URL = 'https://e.example.vn/epcis'
const FARM = gln('893456700001')
const SLAUGHTERHOUSE = gln('893888800001')
const RETAILER = gln('893100000001')
const PROVINCE = gln('893200000001')
const name = (digits: string) => `https://id.gs1.org/417/${digits}`
const PERIOD = 'from=2024-05-01T00:00:00%2B07:00&to=2024-06-01T00:00:00%2B07:00'
const LOT = 'urn:epc:class:lgtin:8934567.012345.L-01'
const item = (n: number) => `urn:epc:id:sgtin:8934567.012345.${n}`
const id = (n: number) => `urn:uuid:7f000000-0000-4000-8000-00000000000${n}`
const [commissioned, shipped, received, shippedOn, receivedAtProvince, sold] = [1, 2, 3, 4, 5, 6].map(id) as [string, string, string, string, string, string]

const at = (hour: number) => `2024-05-02T${String(hour).padStart(2, '0')}:00:00.000+07:00`
const party = (digits: string) => `urn:epc:id:pgln:${digits.slice(0, 7)}.${digits.slice(7, 12)}`
const move = (eventID: string, hour: number, bizStep: string, from: string, to: string, items: string[]): Json => ({
  type: 'ObjectEvent', eventID, eventTime: at(hour), eventTimeZoneOffset: '+07:00', epcList: items, action: 'OBSERVE', bizStep,
  sourceList: [{ type: 'owning_party', source: party(from) }],
  destinationList: [{ type: 'owning_party', destination: party(to) }],
})

t.test('reports attribute forwarded events to their origin organisation, and select by it', async (t) => {
  const national = await repository(t, { PUBLIC_BASE_URL: N_URL })
  await national.json('POST', '/admin/organizations', { body: { id: 'farm', name: 'Trại heo Đồng Nai', identifiers: [name(FARM)] } })
  await national.json('POST', '/admin/organizations', { body: { id: 'province', name: 'Sở NN tỉnh', identifiers: [PROVINCE] } })
  await national.json('POST', '/admin/organizations', { body: { id: 'inspectorate', name: 'Cục', identifiers: [gln('893999000001')] } })
  const province = await national.json('POST', '/admin/api-keys', { body: { organization: 'province', roles: ['capture', 'forward'] } })
  const auditor = await national.json('POST', '/admin/api-keys', { body: { organization: 'inspectorate', roles: ['auditor'] } })

  // The farm commissions two items and ships one to the slaughterhouse, which receives it and ships it on to a
  // retailer that never records receiving it; the province's own event receives the other item "from" the
  // slaughterhouse, which never shipped it. The retailer sells an item no one commissioned.
  const events: Json[] = [
    { type: 'ObjectEvent', eventID: commissioned, eventTime: at(8), eventTimeZoneOffset: '+07:00', epcList: [item(1), item(2)], action: 'ADD',
      bizStep: 'commissioning', disposition: 'active', ilmd: { 'cbvmda:lotNumber': 'L-01' } },
    move(shipped, 9, 'shipping', FARM, SLAUGHTERHOUSE, [item(1)]),
    move(received, 10, 'receiving', FARM, SLAUGHTERHOUSE, [item(1)]),
    move(shippedOn, 11, 'shipping', SLAUGHTERHOUSE, RETAILER, [item(1)]),
    move(receivedAtProvince, 12, 'receiving', SLAUGHTERHOUSE, PROVINCE, [item(2)]),
    { type: 'ObjectEvent', eventID: sold, eventTime: at(13), eventTimeZoneOffset: '+07:00', epcList: [item(3)], action: 'DELETE', bizStep: 'retail_selling' },
  ]
  const origin = (eventID: string, organisation: string): ProvenanceEntry => ({
    eventID, originOrganisation: name(organisation), originRepository: E_URL, originRecordTime: '2024-05-02T13:00:00+07:00',
  })
  const claims = [origin(commissioned, FARM), origin(shipped, FARM), origin(received, SLAUGHTERHOUSE), origin(shippedOn, SLAUGHTERHOUSE), origin(sold, RETAILER)]
  const job = await national.capture(withProvenance(epcisDocument(events), claims), province.key)
  t.same({ success: job.success, storedCount: job.storedCount }, { success: true, storedCount: 6 })

  const report = (path: string) => national.json('GET', path, { key: auditor.key, headers: { accept: 'application/json' } })
  const activity = async (extra = '') => report(`/reports/activity?${PERIOD}${extra}`)

  const all = await activity()
  t.same(
    all.organizations.map((o: any) => [o.organization, o.name, o.events]),
    [['farm', 'Trại heo Đồng Nai', 2], [name(SLAUGHTERHOUSE), undefined, 2], [name(RETAILER), undefined, 1], ['province', 'Sở NN tỉnh', 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    'the farm by its account here, the slaughterhouse by its GLN, the province for its own event only',
  )
  t.same(all.publication.events.map((e: any) => [e.eventID, e.organization, e.state]), [[commissioned, 'farm', 'held'], [sold, name(RETAILER), 'held']], 'held by the publication checks: the farm\'s and the retailer\'s events')
  t.equal(all.totals.organizations, 4)
  t.same(new Set(all.eventsByType.map((e: any) => e.organization)), new Set(['farm', name(SLAUGHTERHOUSE), name(RETAILER), 'province']))

  const only = async (organization: string) => (await activity(`&organization=${encodeURIComponent(organization)}`)).organizations.map((o: any) => [o.organization, o.events])
  t.same(await only('farm'), [['farm', 2]], 'the organization filter selects forwarded events by their origin')
  t.same(await only(name(SLAUGHTERHOUSE)), [[name(SLAUGHTERHOUSE), 2]], 'an origin with no account here, by its name')
  t.same(await only('province'), [['province', 1]], 'the forwarder, for its own events only')

  const chain = await report(`/reports/chain?${PERIOD}`)
  const gaps = chain.gaps.map((g: any) => ({ kind: g.kind, organization: g.organization, eventIDs: g.eventIDs, reportedBy: g.reportedBy }))
  t.same(gaps, [
    { kind: 'missing-shipping', organization: name(SLAUGHTERHOUSE), eventIDs: [receivedAtProvince], reportedBy: 'province' },
    { kind: 'missing-receiving', organization: name(RETAILER), eventIDs: [shippedOn], reportedBy: name(SLAUGHTERHOUSE) },
    { kind: 'no-origin', organization: name(RETAILER), eventIDs: [], reportedBy: undefined },
  ], 'the slaughterhouse and the retailer, known here by the events forwarded from them, are the organisations whose steps are missing')
  const share = (organization: string | null) => chain.completeness.filter((c: any) => c.organization === organization && c.category === null).map((c: any) => [c.complete, c.total])
  t.same(share('farm'), [[1, 1]], 'the farm shipped what the slaughterhouse received')
  t.same(share(name(SLAUGHTERHOUSE)), [[1, 2]], 'the slaughterhouse received what the farm shipped, never shipped what the province received')
  t.same(share(name(RETAILER)), [[0, 2]], 'the retailer never received, and the item it sold has no origin (it first recorded the item)')
  const slaughterhouseChain = await report(`/reports/chain?${PERIOD}&organization=${encodeURIComponent(name(SLAUGHTERHOUSE))}`)
  t.same(slaughterhouseChain.gaps.map((g: any) => g.eventIDs[0]), [receivedAtProvince])

  const recall = await report(`/reports/recall?epc=${encodeURIComponent(LOT)}`)
  const recorders = Object.fromEntries(recall.rows.filter((r: any) => r.item === canonicalIdentifier(item(1))).map((r: any) => [r.eventID, [r.recordedBy, r.recordedByName]]))
  t.same(recorders, {
    [commissioned]: ['farm', 'Trại heo Đồng Nai'],
    [shipped]: ['farm', 'Trại heo Đồng Nai'],
    [received]: [name(SLAUGHTERHOUSE), undefined],
    [shippedOn]: [name(SLAUGHTERHOUSE), undefined],
  }, 'each step of the recall spreadsheet names the enterprise that recorded it')
  const csv = await (await national.call('GET', `/reports/recall?epc=${encodeURIComponent(LOT)}&format=csv&lang=en`, { key: auditor.key })).text()
  t.match(csv, /Recorded by/)
  t.match(csv, /Trại heo Đồng Nai/)
})
