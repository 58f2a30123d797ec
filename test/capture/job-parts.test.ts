import { request as httpRequest } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import t from 'tap'
import { PART_SIZE } from '../../src/capture/job-writer.js'
import { runCaptureJob } from '../../src/capture/service.js'
import { build, buildWithDatabase, TEST_ADMIN_API_KEY, waitForJob } from '../helper.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'

const BAD_CHECK_DIGIT = 'https://id.gs1.org/01/08934567123451/21/1'

function xmlEvent(serial: number, inside = '', epc = `urn:epc:id:sgtin:8934567.012345.${serial}`, time = '2024-05-01T08:00:00.000+07:00'): string {
  return `<ObjectEvent><eventTime>${time}</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>` +
    `<epcList><epc>${epc}</epc></epcList><action>OBSERVE</action>${inside}</ObjectEvent>\n`
}

function xmlDocument(events: string[], namespaces = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" ${namespaces} ` +
    `schemaVersion="2.0" creationDate="2024-05-01T00:00:00Z"><EPCISBody><EventList>\n${events.join('')}</EventList></EPCISBody></epcis:EPCISDocument>\n`
}

async function partsOf(app: FastifyInstance): Promise<Array<{ seq: number; events: string }>> {
  return (await sql<{ seq: number; events: string }>`SELECT seq, events FROM capture_job_part ORDER BY capture_job_id, seq`.execute(app.db)).rows
}

async function stagedOf(app: FastifyInstance): Promise<Array<{ position: number; body: Json; identifiers: string[] }>> {
  return (await sql<{ position: number; body: Json; identifiers: string[] }>`
    SELECT position, body, identifiers FROM capture_staged_event ORDER BY id`.execute(app.db)).rows
}

async function count(app: FastifyInstance, table: 'event' | 'capture_job'): Promise<number> {
  return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(app.db)).rows[0]!.n
}

t.test('a document waits as its staged events, which go once the job is stored', async (t) => {
  const { app } = await buildWithDatabase(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const total = PART_SIZE * 2 + 10
  const schemaInvalid = 1
  const contentInvalid = PART_SIZE + 5
  const events = Array.from({ length: total }, (_, position) =>
    position === schemaInvalid
      ? objectEvent({ eventTimeZoneOffset: '+99:00' })
      : position === contentInvalid
        ? objectEvent({ epcList: [BAD_CHECK_DIGIT] })
        : objectEvent(),
  )
  const document = epcisDocument(events, [], { epcisMasterData: { vocabularyList: [] } })
  const response = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/ld+json', 'gs1-capture-error-behaviour': 'proceed' },
    payload: JSON.stringify(document),
  })
  t.equal(response.statusCode, 202)

  t.same(await partsOf(app), [], 'no part: the events are staged')
  const staged = await stagedOf(app)
  const positions = staged.map((row) => row.position)
  t.equal(positions.length, total - 2, 'every event but the two invalid ones')
  t.notOk(positions.includes(schemaInvalid) || positions.includes(contentInvalid))
  t.same(positions, [...positions].sort((a, b) => a - b), 'keys in document order')
  t.same(staged[0]!.body, events[0], 'an event is staged exactly as captured')
  t.equal(staged[0]!.identifiers.length, 1, 'with its rows, computed once')

  const job = (await sql<{ document: string; event_count: number; errors: Array<{ eventIndex: number }> }>`
    SELECT document, event_count, errors FROM capture_job`.execute(app.db)).rows[0]!
  const shell = JSON.parse(job.document) as Json
  t.same((shell.epcisBody as Json).eventList, [], 'the job document is the document without its events')
  t.same(shell['@context'], document['@context'])
  t.same(shell.epcisHeader, document.epcisHeader)
  t.equal(job.event_count, total)
  t.same(job.errors.map((e) => e.eventIndex), [schemaInvalid, contentInvalid])

  const captureId = (response.headers.location as string).split('/').pop()!
  await runCaptureJob({ db: app.db, captureLimit: 10_000 }, captureId)
  const done = await waitForJob(app, response.headers.location as string)
  t.equal(done.storedCount, total - 2)
  t.same(done.errors.map((e) => e.eventIndex), [schemaInvalid, contentInvalid])
  t.equal(await count(app, 'event'), total - 2)
  t.same(await stagedOf(app), [], 'a finished job keeps no staged event')
  const after = await sql<{ document: string | null }>`SELECT document FROM capture_job`.execute(app.db)
  t.equal(after.rows[0]!.document, null)
})

t.test('an XML document is staged while it is read; a refusal halfway leaves no job and no staged event', async (t) => {
  const app = await build(t, { CAPTURE_LIMIT: PART_SIZE + 200 })
  const bad = PART_SIZE + 50
  const events = Array.from({ length: PART_SIZE + 100 }, (_, i) => xmlEvent(i, '', i === bad ? BAD_CHECK_DIGIT : undefined))
  const xml = xmlDocument(events)
  const post = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/xml', accept: 'application/json', ...headers }, payload })

  const refused = await post(xml)
  t.equal(refused.statusCode, 400, 'rollback: an invalid event after the first part refuses the document')
  t.equal(refused.json().type, 'epcisException:ValidationException')
  t.match(refused.json().errors?.[0]?.pointer ?? refused.body, `/epcisBody/eventList/${bad}`)
  t.equal(await count(app, 'capture_job'), 0)
  t.same(await stagedOf(app), [])

  const tooMany = await post(xmlDocument(Array.from({ length: PART_SIZE + 201 }, (_, i) => xmlEvent(i))))
  t.equal(tooMany.statusCode, 413, 'more events than the capture limit')
  t.equal(tooMany.json().type, 'epcisException:CaptureLimitExceededException')
  t.equal(await count(app, 'capture_job'), 0)
  t.same(await stagedOf(app), [])

  const badTime = xmlDocument(Array.from({ length: PART_SIZE + 100 }, (_, i) => xmlEvent(i, '', undefined, i === bad ? 'yesterday' : undefined)))
  const schemaFirst = await post(badTime)
  t.equal(schemaFirst.statusCode, 400, 'an event that breaks the XSD as well as the content rules')
  t.match(schemaFirst.json().detail, /does not conform to EPCglobal-epcis-2_0\.xsd/, 'the XSD speaks first')
  t.equal(schemaFirst.json().errors[0].pointer, `line ${badTime.slice(0, badTime.indexOf('yesterday')).split('\n').length}`)
  t.equal(await count(app, 'capture_job'), 0)

  const accepted = await post(xml, { 'gs1-capture-error-behaviour': 'proceed' })
  t.equal(accepted.statusCode, 202)
  const job = await waitForJob(app, accepted.headers.location as string)
  t.equal(job.storedCount, PART_SIZE + 99)
  t.same(job.errors.map((e) => e.eventIndex), [bad])
  t.match(job.errors[0]!.pointer, `/epcisBody/eventList/${bad}`)
})

t.test('an XML body sent without Content-Length is refused once it passes the size limit', async (t) => {
  const app = await build(t, { CAPTURE_FILE_SIZE_LIMIT: 10_000 })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const xml = Buffer.from(xmlDocument(Array.from({ length: 200 }, (_, i) => xmlEvent(i))))
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(`${address}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', accept: 'application/json', authorization: `Bearer ${TEST_ADMIN_API_KEY}` },
    })
    request.on('response', (response) => {
      let text = ''
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, body: text }))
    })
    request.on('error', reject)
    // Chunked transfer encoding: the size is known only as the bytes come.
    for (let start = 0; start < xml.length; start += 1000) request.write(xml.subarray(start, start + 1000))
    request.end()
  })
  t.equal(status, 413)
  t.equal(JSON.parse(body).type, 'epcisException:CaptureLimitExceededException')
  t.equal(await count(app, 'capture_job'), 0)
})

t.test('an XML namespace first met late in a large document means the same in every event', async (t) => {
  const app = await build(t)
  const late = PART_SIZE + 1
  const events = Array.from({ length: PART_SIZE + 3 }, (_, i) =>
    xmlEvent(i, i === 0 ? '<ex:a>1</ex:a>' : i === late ? '<late:b xmlns:late="urn:late:">2</late:b>' : ''),
  )
  const response = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/xml' },
    payload: xmlDocument(events, 'xmlns:ex="https://example.com/ex/"'),
  })
  t.equal(response.statusCode, 202)
  const job = await waitForJob(app, response.headers.location as string)
  t.equal(job.storedCount, PART_SIZE + 3)
  for (const [field, value, namespaces] of [
    ['EQ_ex:a', '1', 'ex=https://example.com/ex/'],
    ['EQ_late:b', '2', 'late=urn:late:'],
  ] as const) {
    const found = await app.inject({ method: 'GET', url: `/events?${field}=${value}`, headers: { 'GS1-Extensions': namespaces } })
    const list = found.json().epcisBody.queryResults.resultsBody.eventList as Json[]
    t.equal(list.length, 1, `${field} finds its event`)
  }
  const context = await sql<{ context: unknown[] }>`
    SELECT DISTINCT document_context.context FROM event JOIN document_context ON document_context.id = event.context_id`.execute(app.db)
  t.equal(context.rows.length, 1, 'every event of the document shares its final @context')
  t.same(context.rows[0]!.context.slice(1), [{ ex: 'https://example.com/ex/' }, { late: 'urn:late:' }])
})

t.test('a job queued with its events in its document (before parts) is still stored', async (t) => {
  const { app } = await buildWithDatabase(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const captureId = randomUUID()
  const events = [objectEvent(), objectEvent({ eventTimeZoneOffset: '+99:00' }), objectEvent()]
  await app.db
    .insertInto('capture_job')
    .values({
      capture_id: captureId,
      error_behaviour: 'proceed',
      document: JSON.stringify(epcisDocument(events)),
      event_count: 3,
      errors: JSON.stringify([{ eventIndex: 1, pointer: '/epcisBody/eventList/1/eventTimeZoneOffset', message: 'listed when accepted' }]),
    })
    .execute()
  await runCaptureJob({ db: app.db, captureLimit: 10_000 }, captureId)
  const job = await waitForJob(app, `/capture/${captureId}`)
  t.equal(job.storedCount, 2, 'the events listed as invalid are left out')
  t.same(job.errors.map((e) => e.eventIndex), [1])
  t.equal(await count(app, 'event'), 2)
})

t.test('a job queued with its events in parts (before staging) is still stored, in insertion order', async (t) => {
  const { app } = await buildWithDatabase(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const captureId = randomUUID()
  const events = [objectEvent(), objectEvent(), objectEvent({ eventTimeZoneOffset: '+99:00' })]
  const { id } = await app.db
    .insertInto('capture_job')
    .values({
      capture_id: captureId,
      error_behaviour: 'proceed',
      document: JSON.stringify(epcisDocument([])),
      event_count: 3,
      errors: JSON.stringify([{ eventIndex: 2, pointer: '/epcisBody/eventList/2/eventTimeZoneOffset', message: 'listed when accepted' }]),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const entry = (position: number) => [position, events[position], ['', '', '']]
  await app.db.insertInto('capture_job_part').values({ capture_job_id: id, seq: 0, events: JSON.stringify([entry(1), entry(0)]) }).execute()
  await runCaptureJob({ db: app.db, captureLimit: 10_000 }, captureId)
  const job = await waitForJob(app, `/capture/${captureId}`)
  t.equal(job.storedCount, 2)
  t.equal(await count(app, 'event'), 2)
  t.same(await partsOf(app), [], 'its parts are gone')
})
