/**
 * The consumer page and the resolver are public: they show published events only (src/publication).
 * A held step is left out of the journey, a key named only by held events is unknown, and approving
 * an event puts it on the page.
 */
import t from 'tap'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { epcisDocument, type Json } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { bearer, createKey, gln, post } from '../security/fixtures.js'

const FARM = 'urn:epc:id:sgln:8934567.00001.0'
const HELD_CERTIFICATE = 'https://chungnhan.example.vn/held/VG-9'
const PUBLISHED_CERTIFICATE = 'https://chungnhan.example.vn/ok/VG-1'
const ITEM = 'urn:epc:id:sgtin:8934567.012345.P1'
// Another product: no level above it (its class) is named by a published event either.
const HELD_ITEM = 'urn:epc:id:sgtin:8934567.054321.P2'

let counter = 0
const event = (fields: Json): Json => ({
  type: 'ObjectEvent',
  eventID: `urn:uuid:9a9e0000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
  eventTime: new Date(Date.now() - 3600_000 * (10 - counter)).toISOString(),
  eventTimeZoneOffset: '+00:00',
  action: 'OBSERVE',
  readPoint: { id: FARM },
  bizLocation: { id: FARM },
  ...fields,
})

const pathOf = (urn: string) => new URL(canonicalIdentifier(urn)).pathname
const page = (app: Awaited<ReturnType<typeof build>>, urn: string) =>
  app.inject({ method: 'GET', url: `/traceability/page${pathOf(urn)}`, headers: { authorization: '', 'accept-language': 'en' } })
const offersPage = async (app: Awaited<ReturnType<typeof build>>, urn: string) => {
  const linkset = await app.inject({ method: 'GET', url: `${pathOf(urn)}?linkType=linkset`, headers: { authorization: '' } })
  return linkset.statusCode === 200 && /\/traceability\/page/.test(linkset.body)
}

t.test('the consumer page and the resolver show published events only', async (t) => {
  const app = await build(t)
  await post(app, '/admin/organizations', { id: 'farm', name: 'Trại A', identifiers: [gln('893456700001'), '8934567'] })
  await post(app, '/admin/organizations', { id: 'province', name: 'Sở', identifiers: [] })
  const farm = (await createKey(app, 'farm', ['capture', 'query'])).key
  const reviewer = (await createKey(app, 'province', ['reviewer'])).key
  const header = { epcisMasterData: { vocabularyList: [{ type: 'urn:epcglobal:epcis:vtype:BusinessLocation', vocabularyElementList: [{ id: FARM }] }] } }
  const commissioned = event({ epcList: [ITEM], action: 'ADD', bizStep: 'commissioning', certificationInfo: PUBLISHED_CERTIFICATE })
  // Held: an inspection at a place unknown to master data.
  const inspected = event({ epcList: [ITEM], bizStep: 'inspecting', bizLocation: { id: 'urn:epc:id:sgln:8934567.00099.0' }, certificationInfo: HELD_CERTIFICATE })
  // Held: the only event naming the second item.
  const heldOnly = event({ epcList: [HELD_ITEM], action: 'ADD', bizStep: 'commissioning', bizLocation: { id: 'urn:epc:id:sgln:8934567.00099.0' } })
  const job = await captureAndWait(app, epcisDocument([commissioned, inspected, heldOnly], [], header), bearer(farm))
  t.ok(job.success, JSON.stringify(job.errors))

  const shown = await page(app, ITEM)
  t.equal(shown.statusCode, 200)
  t.match(shown.body, PUBLISHED_CERTIFICATE, 'the published step is on the page')
  t.notMatch(shown.body, HELD_CERTIFICATE, 'the held step is not')
  t.equal((await page(app, HELD_ITEM)).statusCode, 404, 'an item named only by held events is unknown to the page')
  t.notOk(await offersPage(app, HELD_ITEM), 'and the resolver offers no page for it')
  t.ok(await offersPage(app, ITEM), 'while it does for the published item')

  const approved = await app.inject({
    method: 'POST',
    url: '/review/decisions',
    headers: bearer(reviewer),
    payload: { eventIDs: [inspected.eventID, heldOnly.eventID], decision: 'approve', comment: 'Đã xác minh địa điểm' },
  })
  t.equal(approved.statusCode, 200, approved.body)
  t.match((await page(app, ITEM)).body, HELD_CERTIFICATE, 'an approved step is on the page')
  t.equal((await page(app, HELD_ITEM)).statusCode, 200, 'an approved item has its page')
  t.ok(await offersPage(app, HELD_ITEM), 'and the resolver offers it')
})
