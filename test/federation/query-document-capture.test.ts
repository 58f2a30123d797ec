import t from 'tap'
import { epcisDocument, objectEvent } from '../factories.js'
import { repository } from './helpers.js'

const withoutRecordTime = ({ recordTime: _, ...event }: Record<string, unknown>) => event

t.test('POST /capture takes the EPCISQueryDocument another repository answers, in JSON-LD and in XML', async (t) => {
  const peer = await repository(t)
  const here = await repository(t)
  const ids = ['urn:uuid:9d000000-0000-4000-8000-000000000001', 'urn:uuid:9d000000-0000-4000-8000-000000000002']
  const first = await peer.capture(epcisDocument(ids.map((eventID) => objectEvent({ eventID }))))
  t.equal(first.success, true)

  // JSON-LD: the peer's query answer, exactly as it came.
  const answer = await peer.call('GET', `/events?EQ_eventID=${ids.join('|')}`, { headers: { accept: 'application/ld+json' } })
  const document = (await answer.json()) as Record<string, any>
  t.equal(document.type, 'EPCISQueryDocument')
  const job = await here.capture(document)
  t.same({ success: job.success, storedCount: job.storedCount, errors: job.errors }, { success: true, storedCount: 2, errors: [] })
  for (const id of ids) {
    const sent = (await peer.json('GET', `/events/${encodeURIComponent(id)}`)).epcisBody.queryResults.resultsBody.eventList
    const stored = (await here.json('GET', `/events/${encodeURIComponent(id)}`)).epcisBody.queryResults.resultsBody.eventList
    t.same(stored.map(withoutRecordTime), sent.map(withoutRecordTime), `${id} stored as the peer has it`)
  }
  const again = await here.capture(document)
  t.same({ storedCount: again.storedCount, duplicateCount: again.duplicateCount }, { storedCount: 0, duplicateCount: 2 }, 'a repeated delivery stores nothing twice')

  // XML: the same query answered as an EPCISQueryDocument in XML, checked against the query XSD.
  const xmlIds = ['urn:uuid:9d000000-0000-4000-8000-000000000003']
  t.equal((await peer.capture(epcisDocument(xmlIds.map((eventID) => objectEvent({ eventID }))))).success, true)
  const xml = await (await peer.call('GET', `/events?EQ_eventID=${xmlIds[0]}`, { headers: { accept: 'application/xml' } })).text()
  t.match(xml, /EPCISQueryDocument/)
  const xmlJob = await here.capture(xml, undefined, 'application/xml')
  t.same({ success: xmlJob.success, storedCount: xmlJob.storedCount }, { success: true, storedCount: 1 })
  const stored = (await here.json('GET', `/events/${encodeURIComponent(xmlIds[0]!)}`)).epcisBody.queryResults.resultsBody.eventList
  const sent = (await peer.json('GET', `/events/${encodeURIComponent(xmlIds[0]!)}`)).epcisBody.queryResults.resultsBody.eventList
  t.same(stored.map(withoutRecordTime), sent.map(withoutRecordTime))
})

t.test('an EPCISQueryDocument is checked against the GS1 schema like any capture', async (t) => {
  const here = await repository(t)
  const event = objectEvent({ eventID: 'urn:uuid:9d000000-0000-4000-8000-000000000009' })
  const document = {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: '2024-05-01T09:00:00.000+07:00',
    epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: [{ ...event, action: 'WRONG' }] } } },
  }
  const refused = await here.call('POST', '/capture', { body: document })
  t.equal(refused.status, 400)
  const problem = (await refused.json()) as { type: string; errors?: Array<{ pointer: string }> }
  t.match(problem.type, /ValidationException/)
  t.ok(JSON.stringify(problem).includes('/epcisBody/queryResults/resultsBody/eventList/0'), 'the error points into resultsBody.eventList')
  const noName = { ...document, epcisBody: { queryResults: { resultsBody: { eventList: [event] } } } }
  t.equal((await here.call('POST', '/capture', { body: noName })).status, 400, 'queryResults needs its queryName')
})
