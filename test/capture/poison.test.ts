import { randomBytes } from 'node:crypto'
import t from 'tap'
import { sql } from 'kysely'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build, waitForJob } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

/** A URI too long for the indexes, that does not compress (PostgreSQL compresses index entries first). */
const longUri = () => `https://example.org/${randomBytes(1500).toString('hex')}`
const exampleContext = [{ example: 'https://example.org/ns/' }]

t.test('what PostgreSQL cannot store is found before the 202, per event', async (t) => {
  const app = await build(t)
  const capture = (document: unknown, behaviour: string) =>
    app.inject({
      method: 'POST',
      url: '/capture',
      headers: { 'content-type': 'application/json', 'gs1-capture-error-behaviour': behaviour },
      payload: JSON.stringify(document),
    })
  const poisoned = [
    objectEvent({ 'example:note': 'a \ud800 lone surrogate' }),
    objectEvent({ readPoint: { id: longUri() } }),
    objectEvent({ epcList: [longUri()] }),
    objectEvent({ eventTime: '0000-01-01T00:00:00Z' }),
    objectEvent({ [`example:${'n'.repeat(1100)}`]: 1 }),
    objectEvent({ 'example:lone\udc00key': 1 }),
  ]
  const good = objectEvent()

  await t.test('proceed: the job stores the good event and names each bad one', async (t) => {
    const response = await capture(epcisDocument([...poisoned, good], exampleContext), 'proceed')
    t.equal(response.statusCode, 202)
    const job = await waitForJob(app, response.headers.location as string)
    t.equal(job.status, 'succeeded', JSON.stringify(job.errors))
    t.equal(job.storedCount, 1)
    t.same([...new Set(job.errors.map((e) => e.eventIndex))].sort(), [0, 1, 2, 3, 4, 5])
    t.match(job.errors.find((e) => e.eventIndex === 0)?.detail, /lone UTF-16 surrogate/)
    t.match(job.errors.find((e) => e.eventIndex === 1)?.detail, /readPoint is \d+ bytes long/)
  })

  await t.test('rollback: 400 naming the event, no job', async (t) => {
    for (const [index, event] of poisoned.entries()) {
      const response = await capture(epcisDocument([objectEvent(), event], exampleContext), 'rollback')
      t.equal(response.statusCode, 400, `event ${index}`)
      const problem = response.json() as { type: string; errors: Array<{ pointer: string }> }
      t.equal(problem.type, 'epcisException:ValidationException')
      t.match(problem.errors[0]!.pointer, /^\/epcisBody\/eventList\/1/)
    }
  })

  await t.test('POST /events: 400, not 500', async (t) => {
    for (const [index, event] of poisoned.entries()) {
      const response = await app.inject({
        method: 'POST',
        url: '/events',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ '@context': [EPCIS_CONTEXT_URL, ...exampleContext], ...event }),
      })
      t.equal(response.statusCode, 400, `event ${index}: ${response.body.slice(0, 200)}`)
    }
  })

  await t.test('a header or master data that cannot be stored: 400 for the document', async (t) => {
    const header = (id: string, name = 'x') => ({
      epcisMasterData: {
        vocabularyList: [{
          type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
          vocabularyElementList: [{ id, attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: name }] }],
        }],
      },
    })
    for (const document of [
      epcisDocument([objectEvent()], [], header(longUri())),
      epcisDocument([objectEvent()], [], header('urn:epc:id:sgln:8934567.00001.0', 'bad \ud83d')),
    ]) {
      t.equal((await capture(document, 'proceed')).statusCode, 400)
    }
  })

  const count = async (table: 'event' | 'vocabulary_element') =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(app.db)).rows[0]!.n
  t.equal(await count('event'), 1, 'only the good event was ever stored')
})

t.test('master data past the bind-parameter limit is stored in runs', async (t) => {
  const app = await build(t)
  const elements = Array.from({ length: 9_500 }, (_, i) => ({ id: `urn:epc:id:sgln:8934567.${String(i).padStart(5, '0')}.0` }))
  const header = {
    epcisMasterData: { vocabularyList: [{ type: 'urn:epcglobal:epcis:vtype:BusinessLocation', vocabularyElementList: elements }] },
  }
  const response = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(epcisDocument([objectEvent()], [], header)),
  })
  t.equal(response.statusCode, 202)
  const job = await waitForJob(app, response.headers.location as string, 120_000)
  t.equal(job.status, 'succeeded', JSON.stringify(job.errors))
  const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM vocabulary_element`.execute(app.db)
  t.equal(stored.rows[0]!.n, 9_500)
})

t.test('XML capture: a long identifier fails its event only; many master-data elements are stored', async (t) => {
  const app = await build(t)
  const event = (epc: string) =>
    `<ObjectEvent><eventTime>2024-05-01T08:00:00.000+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>` +
    `<epcList><epc>${epc}</epc></epcList><action>OBSERVE</action></ObjectEvent>`
  const elements = Array.from({ length: 9_400 }, (_, i) => `<VocabularyElement id="urn:epc:id:sgln:8934567.${String(i).padStart(5, '0')}.0"/>`)
  const xml = `<?xml version="1.0" encoding="UTF-8"?><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" ` +
    `schemaVersion="2.0" creationDate="2024-05-01T00:00:00Z"><EPCISHeader><extension><EPCISMasterData>` +
    `<VocabularyList><Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation"><VocabularyElementList>${elements.join('')}` +
    `</VocabularyElementList></Vocabulary></VocabularyList></EPCISMasterData></extension></EPCISHeader><EPCISBody><EventList>` +
    `${event(longUri())}${event('urn:epc:id:sgtin:8934567.012345.77')}</EventList></EPCISBody></epcis:EPCISDocument>`
  const post = (behaviour: string) =>
    app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/xml', 'gs1-capture-error-behaviour': behaviour }, payload: xml })
  t.equal((await post('rollback')).statusCode, 400)
  const response = await post('proceed')
  t.equal(response.statusCode, 202, response.body.slice(0, 300))
  const job = await waitForJob(app, response.headers.location as string, 120_000)
  t.equal(job.status, 'succeeded', JSON.stringify(job.errors).slice(0, 300))
  t.equal(job.storedCount, 1)
  t.same(job.errors.map((e) => e.eventIndex), [0])
})
