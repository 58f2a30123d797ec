/**
 * Publication control end to end over HTTP: the states capture gives (each check, each policy), who sees
 * which state in EPCIS queries, the review API and its ledger entries, and the rules and settings API.
 */
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import t from 'tap'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { epcisDocument, type Json } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { bearer, createKey, gln, post } from '../security/fixtures.js'
import { publishedByDecisionSince } from '../../src/publication/repository.js'

const FARM_PLACE = 'urn:epc:id:sgln:8934567.00001.0'
const FARM_DOCK = 'urn:epc:id:sgln:8934567.00002.0'
const MARKET = 'urn:epc:id:pgln:8939999.00001'
const DAY = 24 * 3600 * 1000

let counter = 0
const id = () => `urn:uuid:5eb1ca7e-0000-4000-8000-${String(++counter).padStart(12, '0')}`
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

function event(fields: Json = {}): Json {
  return {
    type: 'ObjectEvent',
    eventID: id(),
    eventTime: ago(DAY),
    eventTimeZoneOffset: '+00:00',
    epcList: [`urn:epc:id:sgtin:8934567.012345.${counter}`],
    action: 'OBSERVE',
    bizStep: 'inspecting',
    readPoint: { id: FARM_PLACE },
    bizLocation: { id: FARM_PLACE },
    ...fields,
  }
}

const locations = {
  epcisMasterData: {
    vocabularyList: [
      {
        type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
        vocabularyElementList: [
          { id: FARM_PLACE, attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Trại A' }] },
          { id: FARM_DOCK, attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Bến A' }] },
        ],
      },
    ],
  },
}

async function query(app: FastifyInstance, key: string | undefined, params: Record<string, string> = {}): Promise<string[]> {
  const qs = new URLSearchParams({ perPage: '1000', ...params })
  const response = await app.inject({ method: 'GET', url: `/events?${qs}`, headers: key ? bearer(key) : {} })
  if (response.statusCode !== 200) throw new Error(`GET /events answered ${response.statusCode}: ${response.body}`)
  const events = (response.json().epcisBody.queryResults.resultsBody.eventList ?? []) as Array<{ eventID: string }>
  return events.map((e) => e.eventID).sort()
}

const sorted = (ids: string[]) => [...ids].sort()

t.test('publication states, visibility, review and rules', async (t) => {
  const app = await build(t)
  const created = await post(app, '/admin/organizations', { id: 'farm', name: 'Trại A', identifiers: [gln('893456700001'), '8934567'] })
  t.equal(created.publicationPolicy, 'auto', 'a new organisation starts with the auto policy')
  await post(app, '/admin/organizations', { id: 'market', name: 'Chợ B', identifiers: [`urn:epc:id:sgln:8939999.00001.0`, '8939999'] })
  await post(app, '/admin/organizations', { id: 'province', name: 'Sở NN&PTNT', identifiers: [] })
  const farm = (await createKey(app, 'farm', ['capture', 'query'])).key
  const market = (await createKey(app, 'market', ['capture', 'query'])).key
  const reviewer = (await createKey(app, 'province', ['reviewer'])).key
  const auditor = (await createKey(app, 'province', ['auditor'])).key
  const authority = (await createKey(app, 'province', ['authority'])).key

  const shipped = event({ bizStep: 'shipping', destinationList: [{ type: 'owning_party', destination: MARKET }] })
  const foreign = event({ epcList: ['urn:epc:id:sgtin:8939999.054321.F1'] })
  const unknownPlace = event({
    bizLocation: { id: 'urn:epc:id:sgln:8934567.00099.0' },
    bizStep: 'shipping',
    destinationList: [{ type: 'owning_party', destination: MARKET }],
  })
  const heldEpc = (unknownPlace.epcList as string[])[0]!
  const unknownReadPoint = event({ readPoint: { id: 'urn:epc:id:sgln:8934567.00098.0' } })
  const future = event({ eventTime: new Date(Date.now() + DAY).toISOString() })
  const old = event({ eventTime: '2010-01-01T00:00:00.000Z' })
  const noDestination = event({ bizStep: 'shipping' })
  const received = event({
    epcList: ['urn:epc:id:sgtin:8939999.054321.R1'],
    bizStep: 'receiving',
    sourceList: [{ type: 'owning_party', source: MARKET }],
  })
  const storedAfterwards = event({ epcList: ['urn:epc:id:sgtin:8939999.054321.R1'], bizStep: 'storing', eventTime: ago(DAY / 2) })
  const transformation = {
    type: 'TransformationEvent',
    eventID: id(),
    eventTime: ago(DAY),
    eventTimeZoneOffset: '+00:00',
    inputEPCList: ['urn:epc:id:sgtin:8934567.012345.T1'],
    // Valid without outputs when the transformation goes on in another event; the province's rule wants them here.
    transformationID: 'urn:uuid:5eb1ca7e-0000-4000-8000-aaaaaaaaaaaa',
    bizLocation: { id: FARM_PLACE },
  }
  const all = [shipped, foreign, unknownPlace, unknownReadPoint, future, old, noDestination, received, storedAfterwards, transformation]
  const job = await captureAndWait(app, epcisDocument(all, [], locations), bearer(farm))
  t.ok(job.success, JSON.stringify(job.errors))
  const ids = (events: Json[]) => sorted(events.map((e) => e.eventID as string))
  const held = [foreign, unknownPlace, unknownReadPoint, future, old, noDestination, transformation]
  const published = [shipped, received, storedAfterwards]

  t.test('auto policy: the events failing a check are held, the others published', async (t) => {
    t.same(await query(app, farm, { EQ_publicationState: 'held' }), ids(held))
    t.same(await query(app, farm, { EQ_publicationState: 'published' }), ids(published))
    t.same(await query(app, farm, { EQ_publicationState: 'published|held' }), ids(all))
    t.same(await query(app, farm, { EQ_publicationState: 'rejected' }), [])
    const bad = await app.inject({ method: 'GET', url: '/events?EQ_publicationState=hidden' })
    t.equal(bad.statusCode, 400)
    t.equal(bad.json().type, 'epcisException:QueryParameterException')
  })

  t.test('each failed check is a reason, in Vietnamese and English, with what failed', async (t) => {
    const response = await app.inject({ method: 'GET', url: '/review/events?perPage=100', headers: bearer(reviewer) })
    t.equal(response.statusCode, 200)
    const listed = response.json() as Array<{ eventID: string; organization: string; reasons: Array<{ code: string; vi: string; en: string; values?: string[] }>; event: Json }>
    t.same(sorted(listed.map((e) => e.eventID)), ids(held))
    const reasonsOf = (e: Json) => listed.find((l) => l.eventID === e.eventID)!.reasons
    const codes = (e: Json) => reasonsOf(e).map((r) => r.code)
    t.same(codes(foreign), ['foreign-identifier'])
    t.same(reasonsOf(foreign)[0]!.values, [canonicalIdentifier('urn:epc:id:sgtin:8939999.054321.F1')])
    t.same(codes(unknownPlace), ['unknown-biz-location'])
    t.same(codes(unknownReadPoint), ['unknown-read-point'])
    t.same(codes(future), ['future-event-time'])
    t.same(codes(old), ['old-event-time'])
    t.same(codes(noDestination), ['missing-kde'])
    t.same(reasonsOf(noDestination)[0]!.values, ['destinationList'])
    t.same(codes(transformation), ['missing-kde'])
    t.same(reasonsOf(transformation)[0]!.values, ['outputEPCList|outputQuantityList'])
    for (const reason of listed.flatMap((l) => l.reasons)) {
      t.ok(reason.vi.length > 0 && reason.en.length > 0 && reason.vi !== reason.en, `${reason.code} has both texts`)
    }
    t.equal(listed[0]!.organization, 'farm')
    t.equal(listed.find((l) => l.eventID === future.eventID)!.event.eventID, future.eventID, 'the event itself comes with it')

    const byReason = await app.inject({ method: 'GET', url: '/review/events?reason=missing-kde', headers: bearer(reviewer) })
    t.same(sorted(byReason.json().map((e: Json) => e.eventID)), ids([noDestination, transformation]))
    const byOrg = await app.inject({ method: 'GET', url: '/review/events?organization=market', headers: bearer(reviewer) })
    t.same(byOrg.json(), [])
    const later = await app.inject({ method: 'GET', url: `/review/events?from=${encodeURIComponent(new Date(Date.now() + DAY).toISOString())}`, headers: bearer(reviewer) })
    t.same(later.json(), [])
    const first = await app.inject({ method: 'GET', url: '/review/events?perPage=4', headers: bearer(reviewer) })
    const link = /<[^>]*(\/review\/events\?[^>]*)>; rel="next"/.exec(String(first.headers.link))
    t.ok(link, 'a Link to the next page')
    const second = await app.inject({ method: 'GET', url: link![1]!, headers: bearer(reviewer) })
    t.same(sorted([...first.json(), ...second.json()].map((e: Json) => e.eventID as string)), ids(held), 'pages cover the held events once')

    const own = await app.inject({ method: 'GET', url: '/review/events?perPage=100', headers: bearer(farm) })
    t.equal(own.json().length, held.length, "a capturing organisation sees its own held events")
    const others = await app.inject({ method: 'GET', url: '/review/events', headers: bearer(market) })
    t.same(others.json(), [], "another organisation's key sees none of them")
    const refused = await app.inject({ method: 'GET', url: '/review/events?organization=farm', headers: bearer(market) })
    t.equal(refused.statusCode, 403, "nor by asking for them")
  })

  t.test('queries: the capturer and auditors see every state, others published events only', async (t) => {
    t.same(await query(app, farm), ids(all), 'the capturing organisation sees all its events')
    t.same(await query(app, auditor, { EQ_publicationState: 'held' }), ids(held), 'an auditor sees held events')
    t.same(await query(app, undefined, { EQ_publicationState: 'held' }), ids(held), 'the operator sees held events')
    t.same(await query(app, authority), ids(all), 'an authority sees every state')
    const reviewerQuery = await app.inject({ method: 'GET', url: '/events', headers: bearer(reviewer) })
    t.equal(reviewerQuery.statusCode, 403, 'the reviewer role alone reviews; it does not query events')
    // market is the destination of `shipped` (published) and `unknownPlace` (held), the source of `received` (published).
    t.same(await query(app, market), ids([shipped, received]), 'another organisation sees only published events it takes part in')
    t.same(await query(app, market, { EQ_publicationState: 'held' }), [], 'and no held one through the state filter')
    const byId = await app.inject({ method: 'GET', url: `/events/${encodeURIComponent(unknownPlace.eventID as string)}`, headers: bearer(market) })
    t.equal(byId.statusCode, 404, 'nor by its eventID')
    const lineage = await app.inject({ method: 'GET', url: `/traceability/lineage?epc=${encodeURIComponent(heldEpc)}`, headers: bearer(market) })
    t.equal(lineage.statusCode, 404, 'nor through traceability')
    const forFarm = await app.inject({ method: 'GET', url: `/traceability/lineage?epc=${encodeURIComponent(heldEpc)}`, headers: bearer(farm) })
    t.equal(forFarm.statusCode, 200, 'which its capturer walks')
  })

  t.test('review decisions: who may decide, approve publishes, reject keeps the reason', async (t) => {
    const asMarket = await app.inject({ method: 'POST', url: '/review/decisions', headers: bearer(market), payload: { eventIDs: [unknownPlace.eventID], decision: 'approve' } })
    t.equal(asMarket.statusCode, 403, 'an organisation without the reviewer role cannot decide')
    const unknown = await app.inject({ method: 'POST', url: '/review/decisions', headers: bearer(reviewer), payload: { eventIDs: [shipped.eventID], decision: 'approve' } })
    t.equal(unknown.statusCode, 404, 'a published event is not waiting for a decision')
    const noComment = await app.inject({ method: 'POST', url: '/review/decisions', headers: bearer(reviewer), payload: { eventIDs: [noDestination.eventID], decision: 'reject' } })
    t.equal(noComment.statusCode, 400, 'a rejection needs a comment')
    t.equal(noComment.json().type, 'epcisException:ValidationException')

    const approved = await app.inject({
      method: 'POST',
      url: '/review/decisions',
      headers: bearer(reviewer),
      payload: { eventIDs: [unknownPlace.eventID], decision: 'approve', comment: 'Kho mới, đã kiểm tra' },
    })
    t.equal(approved.statusCode, 200, approved.body)
    t.match(approved.json(), { decisions: [{ eventID: unknownPlace.eventID, organization: 'farm', decision: 'approve', state: 'published' }] })
    t.match(approved.json().decisions[0].decidedBy, /^key:/)
    t.same(await query(app, market), ids([shipped, unknownPlace, received]), 'an approved event is published to the organisations it names')
    const lineage = await app.inject({ method: 'GET', url: `/traceability/lineage?epc=${encodeURIComponent(heldEpc)}`, headers: bearer(market) })
    t.equal(lineage.statusCode, 200, 'and walked by their traceability queries')
    const forwarded = await publishedByDecisionSince(app.db, 0, 10)
    const { rows } = await sql<{ id: number }>`SELECT id FROM event WHERE event_id = ${unknownPlace.eventID as string}`.execute(app.db)
    t.same(forwarded.map((f) => f.eventPk), [Number(rows[0]!.id)], 'forwarding finds the event a decision published')

    const rejected = await app.inject({
      method: 'POST',
      url: '/review/decisions',
      headers: bearer(reviewer),
      payload: { eventIDs: [noDestination.eventID, old.eventID], decision: 'reject', comment: 'Thiếu nơi nhận / missing destination' },
    })
    t.equal(rejected.statusCode, 200, rejected.body)
    t.same(await query(app, farm, { EQ_publicationState: 'rejected' }), ids([noDestination, old]))
    const list = await app.inject({ method: 'GET', url: '/review/events?state=rejected', headers: bearer(reviewer) })
    const entry = list.json().find((e: Json) => e.eventID === noDestination.eventID)
    t.match(entry, { state: 'rejected', reasons: [{ code: 'missing-kde' }], decisions: [{ decision: 'reject', comment: 'Thiếu nơi nhận / missing destination' }] })
    const stillHeld = await app.inject({ method: 'GET', url: '/review/events', headers: bearer(reviewer) })
    t.notOk(stillHeld.json().some((e: Json) => e.eventID === noDestination.eventID), 'a rejected event leaves the held list')

    const verify = await app.inject({ method: 'GET', url: '/audit/ledger/verify' })
    t.match(verify.json(), { valid: true }, 'the ledger with decision entries verifies')
    t.equal(verify.json().events, all.length, 'decision entries do not count as events')
    await sql`UPDATE publication_decision SET comment = 'Đã duyệt' WHERE event_id = ${noDestination.eventID as string}`.execute(app.db)
    const tampered = await app.inject({ method: 'GET', url: '/audit/ledger/verify' })
    t.match(tampered.json(), { valid: false, firstBroken: { kind: 'leaf-hash', eventID: noDestination.eventID } }, 'a changed decision shows')
    await sql`UPDATE publication_decision SET comment = 'Thiếu nơi nhận / missing destination' WHERE event_id = ${noDestination.eventID as string}`.execute(app.db)
    await sql`DELETE FROM publication_decision WHERE event_id = ${old.eventID as string}`.execute(app.db)
    const removed = await app.inject({ method: 'GET', url: '/audit/ledger/verify' })
    t.equal(removed.json().valid, false, 'a removed decision shows')
  })

  t.test('review policy holds every event for a reviewer', async (t) => {
    const badPolicy = await app.inject({ method: 'PATCH', url: '/admin/organizations/market', payload: { publicationPolicy: 'never' } })
    t.equal(badPolicy.statusCode, 400)
    const noOrg = await app.inject({ method: 'PATCH', url: '/admin/organizations/nobody', payload: { publicationPolicy: 'review' } })
    t.equal(noOrg.statusCode, 404)
    const notAdmin = await app.inject({ method: 'PATCH', url: '/admin/organizations/market', headers: bearer(reviewer), payload: { publicationPolicy: 'auto' } })
    t.equal(notAdmin.statusCode, 403)
    const patched = await app.inject({ method: 'PATCH', url: '/admin/organizations/market', payload: { publicationPolicy: 'review' } })
    t.equal(patched.statusCode, 200)
    t.equal(patched.json().publicationPolicy, 'review')
    t.equal((await app.inject({ method: 'GET', url: '/admin/organizations/market' })).json().publicationPolicy, 'review')

    const place = 'urn:epc:id:sgln:8939999.00001.0'
    const perfect = event({
      epcList: ['urn:epc:id:sgtin:8939999.054321.M1'],
      bizStep: 'shipping',
      readPoint: { id: place },
      bizLocation: { id: place },
      destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:8934567.00001' }],
    })
    const header = { epcisMasterData: { vocabularyList: [{ type: 'urn:epcglobal:epcis:vtype:BusinessLocation', vocabularyElementList: [{ id: place }] }] } }
    const result = await captureAndWait(app, epcisDocument([perfect], [], header), bearer(market))
    t.ok(result.success)
    t.same(await query(app, market, { EQ_publicationState: 'held' }), [perfect.eventID])
    const listed = await app.inject({ method: 'GET', url: '/review/events?organization=market', headers: bearer(reviewer) })
    t.same(listed.json().map((e: Json) => (e.reasons as Json[]).map((r) => r.code)), [['review-policy']], 'held for review alone: it passes every check')
    t.notOk((await query(app, farm)).includes(perfect.eventID as string), 'its destination does not see it before review')
    const approved = await app.inject({ method: 'POST', url: '/review/decisions', headers: bearer(reviewer), payload: { eventIDs: [perfect.eventID], decision: 'approve' } })
    t.equal(approved.statusCode, 200)
    t.ok((await query(app, farm)).includes(perfect.eventID as string), 'it does once approved')
  })

  t.test('POST /events applies the checks too', async (t) => {
    const single = event({ bizLocation: { id: 'urn:epc:id:sgln:8934567.00077.0' } })
    const response = await app.inject({
      method: 'POST',
      url: '/events',
      headers: { ...bearer(farm), 'content-type': 'application/ld+json' },
      payload: JSON.stringify({ '@context': EPCIS_CONTEXT_URL, ...single }),
    })
    t.equal(response.statusCode, 201, response.body)
    t.same(await query(app, farm, { EQ_publicationState: 'held', EQ_eventID: single.eventID as string }), [single.eventID])
  })

  t.test('rules and settings are kept in the database and edited through the API', async (t) => {
    const rules = await app.inject({ method: 'GET', url: '/publication/rules', headers: bearer(reviewer) })
    t.same(rules.json().map((r: Json) => r.id), ['commissioning', 'receiving', 'shipping', 'transformation'])
    const byFarm = await app.inject({ method: 'PUT', url: '/publication/rules/inspecting', headers: bearer(farm), payload: { bizStep: 'inspecting', required: ['certificationInfo'] } })
    t.equal(byFarm.statusCode, 403, 'an organisation cannot change the checks')
    const invalid = await app.inject({ method: 'PUT', url: '/publication/rules/inspecting', headers: bearer(reviewer), payload: { required: ['certificationInfo'] } })
    t.equal(invalid.statusCode, 400, 'a rule names a bizStep or an eventType')
    const put = await app.inject({
      method: 'PUT',
      url: '/publication/rules/inspecting',
      headers: bearer(reviewer),
      payload: { bizStep: 'urn:epcglobal:cbv:bizstep:inspecting', required: ['certificationInfo'], description: 'Kiểm tra cần chứng nhận' },
    })
    t.equal(put.statusCode, 201, put.body)
    t.equal(put.json().bizStep, 'https://ref.gs1.org/cbv/BizStep-inspecting')
    const withCertificate = event({ certificationInfo: 'https://chungnhan.example.vn/VG-1' })
    const without = event()
    const settings = await app.inject({ method: 'PATCH', url: '/publication/settings', headers: bearer(reviewer), payload: { maxEventAgeDays: 36500 } })
    t.same(settings.json(), { maxEventAgeDays: 36500, futureToleranceSeconds: 300 })
    const oldButAllowed = event({ eventTime: '2010-01-01T00:00:00.000Z', certificationInfo: 'https://chungnhan.example.vn/VG-2' })
    await captureAndWait(app, epcisDocument([withCertificate, without, oldButAllowed]), bearer(farm))
    const held = await query(app, farm, { EQ_publicationState: 'held', EQ_eventID: [withCertificate, without, oldButAllowed].map((e) => e.eventID).join('|') })
    t.same(held, [without.eventID], 'the new rule holds the event without a certificate; the older age limit lets 2010 pass')
    const removed = await app.inject({ method: 'DELETE', url: '/publication/rules/inspecting', headers: bearer(reviewer) })
    t.equal(removed.statusCode, 204)
    const again = event()
    await captureAndWait(app, epcisDocument([again]), bearer(farm))
    t.same(await query(app, farm, { EQ_publicationState: 'published', EQ_eventID: again.eventID as string }), [again.eventID])
  })
})
