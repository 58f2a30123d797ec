import t from 'tap'
import { withProvenance, type ProvenanceEntry } from '../../src/federation/provenance-header.js'
import { CANONICAL_DL_ORIGIN, canonicalIdentifier } from '../../src/identifiers/index.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { repository, type Repository } from '../federation/helpers.js'
import { gln } from '../security/fixtures.js'

const E_URL = 'https://e.example.vn/epcis'
const FARM = gln('893456700001')
const SLAUGHTERHOUSE = gln('893888800001')
const ITEM = 'urn:epc:id:sgtin:8934567.012345.4401'
const id = (n: number) => `urn:uuid:7e000000-0000-4000-8000-0000000004${String(n).padStart(2, '0')}`

/** One step of the item's journey, on its own day at its own place. */
const step = (n: number, bizStep: string) =>
  objectEvent({
    eventID: id(n),
    eventTime: `2024-05-0${n}T08:00:00.000+07:00`,
    epcList: [ITEM],
    action: n === 1 ? 'ADD' : 'OBSERVE',
    bizStep,
    readPoint: { id: `urn:epc:id:sgln:8934567.0000${n}.0` },
  })

async function organisation(repo: Repository, orgId: string, name: string, identifiers: string[], roles: string[]) {
  await repo.json('POST', '/admin/organizations', { body: { id: orgId, name, identifiers } })
  return repo.json<{ key: string }>('POST', '/admin/api-keys', { body: { organization: orgId, roles } })
}

/** The visible text of the timeline, one line per step. */
function timelineOf(html: string): string[] {
  const list = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? ''
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())
}

t.test('each step of the consumer page says which enterprise recorded it, here or at the origin of a forwarded event', async (t) => {
  const receiver = await repository(t, { PUBLIC_BASE_URL: 'https://p.example.vn/epcis' })
  await organisation(receiver, 'farm', 'Trang trại <Hòa Bình> & Co', [FARM], ['query'])
  const forwarder = await organisation(receiver, 'enterprise-e', 'Doanh nghiệp E', [gln('893000000001')], ['capture', 'forward'])
  const retailer = await organisation(receiver, 'retailer', 'Siêu thị Xanh', [gln('893100000001')], ['capture'])

  // Forwarded from E: by the farm (an organisation here), the slaughterhouse (none here), E's operator (no one).
  const origin = (eventID: string, originOrganisation: string | null): ProvenanceEntry =>
    ({ eventID, originOrganisation, originRepository: E_URL, originRecordTime: '2024-05-01T02:00:00.000Z' })
  const forwarded = withProvenance(epcisDocument([step(1, 'commissioning'), step(2, 'killing'), step(3, 'packing')]), [
    origin(id(1), `https://id.gs1.org/417/${FARM}`),
    origin(id(2), `https://id.gs1.org/417/${SLAUGHTERHOUSE}`),
    origin(id(3), null),
  ])
  t.equal((await receiver.capture(forwarded, forwarder.key)).storedCount, 3)
  t.equal((await receiver.capture(epcisDocument([step(4, 'shipping')]))).storedCount, 1, 'an operator capture here')
  t.equal((await receiver.capture(epcisDocument([step(5, 'retail_selling')]), retailer.key)).storedCount, 1)

  // The publication checks hold these steps (unknown places, foreign identifiers): a reviewer publishes them.
  await receiver.json('POST', '/review/decisions', { body: { eventIDs: [1, 2, 3, 5].map(id), decision: 'approve' } })

  const path = canonicalIdentifier(ITEM).slice(CANONICAL_DL_ORIGIN.length)
  const page = async (language: string) => {
    const response = await fetch(`${receiver.url}/traceability/page${path}?lang=${language}`)
    t.equal(response.status, 200)
    return response.text()
  }

  const vi = await page('vi')
  t.same(timelineOf(vi).map((s) => s.replace(/^.*?(Khởi tạo|Giết mổ|Đóng gói|Vận chuyển|Bán lẻ)/, '$1').replace(/ Địa điểm \S+/, '')), [
    'Khởi tạo sản phẩm Ghi nhận bởi Trang trại &lt;Hòa Bình&gt; &amp; Co',
    `Giết mổ Ghi nhận bởi doanh nghiệp ${SLAUGHTERHOUSE}`,
    'Đóng gói',
    'Vận chuyển',
    'Bán lẻ Ghi nhận bởi Siêu thị Xanh',
  ])
  t.match(vi, '<span class="recorder">Ghi nhận bởi Trang trại &lt;Hòa Bình&gt; &amp; Co</span>', 'escaped like every datum')
  t.notMatch(vi, 'Doanh nghiệp E', 'the forwarder did not record the steps it forwarded')
  t.notMatch(vi, /<script/i)

  const en = await page('en')
  t.match(en, '<span class="recorder">Recorded by Trang trại &lt;Hòa Bình&gt; &amp; Co</span>')
  t.match(en, `<span class="recorder">Recorded by enterprise ${SLAUGHTERHOUSE}</span>`)
  t.match(en, '<span class="recorder">Recorded by Siêu thị Xanh</span>')
  t.equal((en.match(/class="recorder"/g) ?? []).length, 3, 'nothing for the steps no organisation recorded')
})
