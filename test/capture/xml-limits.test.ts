import t from 'tap'
import { MAX_XML_TEXT_BYTES } from '../../src/epcis/xml/guarded-sax.js'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build } from '../helper.js'
import { objectEvent } from '../factories.js'

const document = (events: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" ` +
  `schemaVersion="2.0" creationDate="2024-05-01T00:00:00Z"><EPCISBody><EventList>${events}</EventList></EPCISBody></epcis:EPCISDocument>`
const event = (inside: string) =>
  `<ObjectEvent><eventTime>2024-05-01T08:00:00.000+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>` +
  `<epcList><epc>urn:epc:id:sgtin:8934567.012345.1</epc></epcList><action>OBSERVE</action>${inside}</ObjectEvent>`

t.test('inputs that overwhelmed a parser get a 4xx problem, not 500', async (t) => {
  const app = await build(t)
  const post = (url: string, payload: string, contentType = 'application/xml') =>
    app.inject({ method: 'POST', url, headers: { 'content-type': contentType, accept: 'application/json' }, payload })
  const problemOf = (response: { statusCode: number; json(): unknown }) => ({ status: response.statusCode, type: (response.json() as { type: string }).type })

  for (const url of ['/capture', '/events']) {
    t.same(problemOf(await post(url, document('<ObjectEvent></x></ObjectEvent>'))), { status: 400, type: 'epcisException:ValidationException' }, `stray end tag on ${url}`)
    const longText = event(`<bizStep>${'b'.repeat(MAX_XML_TEXT_BYTES + 1)}</bizStep>`)
    t.same(problemOf(await post(url, document(longText))), { status: 413, type: 'epcisException:CaptureLimitExceededException' }, `long text on ${url}`)
    const longAttribute = event(`<bizStep a="${'b'.repeat(MAX_XML_TEXT_BYTES + 1)}">shipping</bizStep>`)
    t.same(problemOf(await post(url, document(longAttribute))), { status: 413, type: 'epcisException:CaptureLimitExceededException' }, `long attribute on ${url}`)
  }
  const hugeUri = `https://example.org/${'a/'.repeat(8 * 1024 * 1024)}`
  const json = JSON.stringify({ '@context': EPCIS_CONTEXT_URL, ...objectEvent({ readPoint: { id: hugeUri } }) })
  t.same(problemOf(await post('/events', json, 'application/json')), { status: 400, type: 'epcisException:ValidationException' }, '16 MB URI')
})
