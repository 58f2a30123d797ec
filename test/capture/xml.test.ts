import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { eventHashId } from '../../src/epcis/event-hash/index.js'
import { eventListOf, validateXmlDocuments, xmlToEpcisDocument, type JsonObject } from '../../src/epcis/xml/index.js'
import { EPCIS_XML_EXAMPLES } from '../epcis/xml/examples.js'
import { build, captureAndWait, fixturesDir, waitForJob } from '../helper.js'
import type { Json } from '../factories.js'

type App = Awaited<ReturnType<typeof build>>

const xmlHeaders = { 'content-type': 'application/xml' }

function namespacesOf(document: Json | JsonObject): Record<string, string> {
  const context = Array.isArray(document['@context']) ? document['@context'] : [document['@context']]
  return Object.assign({}, ...context.filter((c) => c && typeof c === 'object'))
}

function withoutRecordTime(event: Json): Json {
  const { recordTime: _, ...rest } = event
  return rest
}

async function captureXml(app: App, xml: Buffer | string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'POST', url: '/capture', headers: { ...xmlHeaders, ...headers }, payload: xml })
  if (response.statusCode !== 202) throw new Error(`capture answered ${response.statusCode}: ${response.body}`)
  return waitForJob(app, response.headers.location as string)
}

async function eventsById(app: App, eventId: string, accept: string): Promise<{ status: number; body: string; type: string }> {
  const response = await app.inject({
    method: 'GET',
    url: `/events/${encodeURIComponent(eventId)}`,
    headers: { accept, 'gs1-epc-format': 'Never_Translates' },
  })
  return { status: response.statusCode, body: response.body, type: String(response.headers['content-type']) }
}

t.test('every GS1 XML example is captured and comes back, in JSON-LD and in XML, equal in content', async (t) => {
  const app = await build(t)
  t.equal(EPCIS_XML_EXAMPLES.length, 33, 'the 37 GS1 XML examples less the 4 capture-job reports')
  const answers: Array<{ name: string; xml: string }> = []
  for (const example of EPCIS_XML_EXAMPLES) {
    const xml = readFileSync(example.path)
    const job = await captureXml(app, xml)
    t.equal(job.success, true, `${example.name}: captured ${JSON.stringify(job.errors)}`)
    const source = (await xmlToEpcisDocument(xml)) as JsonObject
    const namespaces = namespacesOf(source)
    for (const [i, event] of (eventListOf(source) as unknown as Json[]).entries()) {
      const eventId = (event.eventID as string | undefined) ?? eventHashId(event, namespaces)
      const expected = withoutRecordTime({ ...event, eventID: eventId })

      const json = await eventsById(app, eventId, 'application/ld+json')
      t.equal(json.status, 200, `${example.name} #${i}: found as JSON-LD`)
      const answer = JSON.parse(json.body)
      const jsonEvents = (answer.epcisBody.queryResults.resultsBody.eventList as Json[]).map(withoutRecordTime)
      const hash = eventHashId(expected, namespaces)
      const same = jsonEvents.some((e) => JSON.stringify(sortKeys(e)) === JSON.stringify(sortKeys(expected)))
      if ((job as unknown as { duplicateCount: number }).duplicateCount > 0 && !same) {
        // An event already stored in another form (GS1's WithEventHashID set): the stored form answers.
        t.ok(
          jsonEvents.some((e) => eventHashId(e, namespacesOf(answer)) === hash),
          `${example.name} #${i}: stored once, in the form first captured (same event hash)`,
        )
      } else {
        t.ok(same, `${example.name} #${i}: the JSON-LD answer equals the source event`)
      }

      const xmlAnswer = await eventsById(app, eventId, 'application/xml')
      t.equal(xmlAnswer.status, 200)
      t.match(xmlAnswer.type, /^application\/xml/)
      answers.push({ name: `${example.name} #${i}`, xml: xmlAnswer.body })
      const back = (await xmlToEpcisDocument(xmlAnswer.body)) as JsonObject
      const xmlEvents = (eventListOf(back) as unknown as Json[]).map(withoutRecordTime)
      t.ok(
        xmlEvents.some((e) => eventHashId(e, namespacesOf(back)) === hash && e.eventID === eventId),
        `${example.name} #${i}: the XML answer holds the same event (same eventID and event hash)`,
      )
    }
  }
  const validations = await validateXmlDocuments(answers.map((a) => a.xml))
  validations.forEach((v, i) => t.ok(v.valid, `${answers[i]!.name}: the XML answer is valid against the GS1 XSD ${JSON.stringify(v.errors)}`))
})

t.test('an event sent as XML and as JSON-LD is stored as one event with one hash', async (t) => {
  const app = await build(t)
  const json = JSON.parse(readFileSync(join(fixturesDir, 'gs1/epcis-examples/json/Example_9.6.1-ObjectEvent.jsonld'), 'utf8'))
  // GS1's XML copy of this example declares its extension namespace without the trailing '/', a
  // different namespace: only the first event is the same in both copies.
  const first = { ...json, epcisBody: { eventList: [json.epcisBody.eventList[0]] } }
  const xml = readFileSync(join(fixturesDir, 'gs1/epcis-examples/xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml'))
  await captureAndWait(app, first)
  const job = await captureXml(app, xml)
  t.equal(job.storedCount, 2)
  const { rows } = await app.pool.query<{ event_hash: string; n: string }>(
    'SELECT event_hash, count(*) AS n FROM event GROUP BY event_hash ORDER BY n DESC',
  )
  t.equal(Number(rows[0]!.n), 2, 'the JSON-LD event and its XML twin share one CBV 2.0 hash')
})

t.test('EPCIS 1.2 XML documents are accepted and mean the same as their 2.0 form', async (t) => {
  const app = await build(t)
  const v12 = readFileSync(join(fixturesDir, '..', 'epcis', 'xml', 'fixtures', 'epcis-1.2-document.xml'))
  const v20 = readFileSync(join(fixturesDir, '..', 'epcis', 'xml', 'fixtures', 'epcis-2.0-equivalent.xml'))
  const one = await captureXml(app, v12)
  t.equal(one.success, true, JSON.stringify(one.errors))
  t.ok(one.storedCount > 0)
  const two = await captureXml(app, v20)
  t.equal(two.success, true)
  t.equal(two.storedCount, 0, 'the 2.0 form of the same events is already stored')
  t.equal((two as unknown as { duplicateCount: number }).duplicateCount, one.storedCount)
})

t.test('unsafe or invalid XML is refused with a problem, and nothing is stored', async (t) => {
  const app = await build(t, { CAPTURE_FILE_SIZE_LIMIT: 200_000 })
  const doc = (body: string) =>
    `<?xml version="1.0"?>${body}<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList/></EPCISBody></epcis:EPCISDocument>`
  const cases: Array<[string, string, number]> = [
    ['XXE', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', 400],
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
      400,
    ],
    ['external DTD', doc('<!DOCTYPE epcis:EPCISDocument SYSTEM "http://evil.example/epcis.dtd">'), 400],
    ['deep nesting', `<?xml version="1.0"?>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}`, 400],
    ['not well-formed', '<?xml version="1.0"?><epcis:EPCISDocument', 400],
    ['not EPCIS', '<?xml version="1.0"?><html><body/></html>', 400],
    ['XSD-invalid', doc('').replace('schemaVersion="2.0" ', ''), 400],
    ['too large', `<?xml version="1.0"?><r>${'x'.repeat(300_000)}</r>`, 413],
  ]
  for (const [name, xml, status] of cases) {
    const response = await app.inject({ method: 'POST', url: '/capture', headers: { ...xmlHeaders, accept: 'application/xml' }, payload: xml })
    t.equal(response.statusCode, status, name)
    t.match(response.headers['content-type'], /^application\/problem\+xml/, `${name}: problem+xml to an XML client`)
    t.match(response.body, /<type>epcisException:(ValidationException|CaptureLimitExceededException)<\/type>/, name)
  }
  const bareDoctype = doc('<!DOCTYPE epcis:EPCISDocument>')
  const ok = await app.inject({ method: 'POST', url: '/capture', headers: xmlHeaders, payload: bareDoctype })
  t.equal(ok.statusCode, 202, 'a bare DOCTYPE with no internal subset is tolerated')
  const jobs = await app.inject({ method: 'GET', url: '/capture' })
  t.equal(jobs.json().length, 1, 'only the acceptable document made a job')
})

t.test('XML answers: content negotiation and GS1-CBV-XML-Format', async (t) => {
  const app = await build(t)
  await captureAndWait(app, {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-05-01T00:00:00Z',
    epcisBody: {
      eventList: [
        {
          type: 'ObjectEvent',
          eventTime: '2024-05-01T08:00:00+07:00',
          eventTimeZoneOffset: '+07:00',
          epcList: ['urn:epc:id:sgtin:8934567.012345.1'],
          action: 'OBSERVE',
          bizStep: 'shipping',
        },
      ],
    },
  })
  const get = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/events', headers })
  const urn = await get({ accept: 'application/xml' })
  t.match(urn.headers['content-type'], /^application\/xml/)
  t.match(urn.body, /urn:epcglobal:cbv:bizstep:shipping/, 'URN form by default')
  t.match(urn.body, /https:\/\/id\.gs1\.org\/01\/08934567123457\/21\/1/, 'identifiers as Digital Links by default')
  const web = await get({ accept: 'application/xml', 'gs1-cbv-xml-format': 'Always_Web_URI' })
  t.match(web.body, /https:\/\/ref\.gs1\.org\/cbv\/BizStep-shipping/)
  t.equal(web.headers['gs1-cbv-xml-format'], 'Always_Web_URI')
  const preferred = await get({ accept: 'application/json;q=0.5, application/xml;q=0.9' })
  t.match(preferred.headers['content-type'], /^application\/xml/, 'quality values are honoured')
  const text = await get({ accept: 'text/xml' })
  t.match(text.headers['content-type'], /^text\/xml/)
  const none = await get({ accept: 'text/csv' })
  t.equal(none.statusCode, 406)
  const xmlProblem = await get({ accept: 'application/xml', 'gs1-cbv-xml-format': 'Sometimes' })
  t.equal(xmlProblem.statusCode, 400)
  t.match(xmlProblem.headers['content-type'], /^application\/problem\+xml/)
  const badParam = await app.inject({ method: 'GET', url: '/events?EQ_colour=red', headers: { accept: 'application/xml' } })
  t.match(badParam.body, /QueryParameterException/)
  t.match(badParam.headers['content-type'], /^application\/problem\+xml/)
})

t.test('POST /events takes an XML document of one event', async (t) => {
  const app = await build(t)
  const xml = readFileSync(join(fixturesDir, 'gs1/epcis-examples/xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml'), 'utf8')
  const two = await app.inject({ method: 'POST', url: '/events', headers: xmlHeaders, payload: xml })
  t.equal(two.statusCode, 400, 'two events are not one')
  const one = xml.replace(/<ObjectEvent>[\s\S]*?<\/ObjectEvent>/, '')
  const response = await app.inject({ method: 'POST', url: '/events', headers: xmlHeaders, payload: one })
  t.equal(response.statusCode, 201, response.body)
  t.match(response.headers.location, /^\/events\/ni%3A/)
})

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Json)[k])]))
  }
  return value
}
