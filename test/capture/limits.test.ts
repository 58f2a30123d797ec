import t from 'tap'
import { sql } from 'kysely'
import { validateDocument } from '../../src/epcis/schema-validator.js'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build } from '../helper.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'

const serials = (n: number) => Array.from({ length: n }, (_, i) => `urn:epc:id:sgtin:8934567.012345.${i}`)

t.test('uniqueItems is checked in linear time, with ajv\'s message', async (t) => {
  const event = { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ epcList: serials(100_000) }) }
  const started = performance.now()
  t.ok(validateDocument(event).valid, '100,000 distinct EPCs are valid')
  // A bound for the quadratic check only (ajv's own took 45 s here), far above a loaded machine's linear time.
  t.ok(performance.now() - started < 20_000, `validated in ${Math.round(performance.now() - started)} ms (ajv's own check took 45 s)`)
  const repeated = validateDocument({ '@context': EPCIS_CONTEXT_URL, ...objectEvent({ epcList: [...serials(3), 'urn:epc:id:sgtin:8934567.012345.1'] }) })
  t.notOk(repeated.valid)
  t.same(repeated.errors, [{ pointer: '/epcList', message: 'must NOT have duplicate items (items ## 1 and 3 are identical)' }])
  const sets = validateDocument({
    '@context': EPCIS_CONTEXT_URL,
    ...objectEvent({ persistentDisposition: { set: ['completeness_verified', 'completeness_verified'] } }),
  })
  t.notOk(sets.valid, 'every uniqueItems of the schema is still checked')
})

t.test('a request beyond a capture limit gets 413 naming the limit and the value, and stores nothing', async (t) => {
  const app = await build(t, { MAX_EPCS_PER_EVENT: 100, MAX_KEYS_PER_OBJECT: 20, MAX_MASTER_DATA_ELEMENTS: 5 })
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) })
  const expect413 = (response: { statusCode: number; json(): unknown }, pattern: RegExp) => {
    t.equal(response.statusCode, 413)
    const problem = response.json() as { type: string; detail: string }
    t.equal(problem.type, 'epcisException:CaptureLimitExceededException')
    t.match(problem.detail, pattern)
  }
  const wide = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`ex:f${i}`, i]))
  const masterData = {
    epcisMasterData: {
      vocabularyList: [{
        type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
        vocabularyElementList: Array.from({ length: 6 }, (_, i) => ({ id: `urn:epc:id:sgln:8934567.00001.${i}` })),
      }],
    },
  }

  expect413(await post('/events', { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ epcList: serials(101) }) }), /101 .*MAX_EPCS_PER_EVENT/)
  expect413(
    await post('/events', { '@context': [EPCIS_CONTEXT_URL, { ex: 'https://example.org/' }], ...objectEvent({ ilmd: wide }) }),
    /21 properties.*MAX_KEYS_PER_OBJECT/,
  )
  expect413(
    await post('/capture', epcisDocument([objectEvent(), objectEvent({ childEPCs: serials(60), epcList: serials(41) })]), {
      'gs1-capture-error-behaviour': 'proceed',
    }),
    /eventList\/1 lists 101 .*MAX_EPCS_PER_EVENT/,
  )
  expect413(await post('/capture', epcisDocument([objectEvent()], [], masterData)), /6 master-data elements.*MAX_MASTER_DATA_ELEMENTS/)
  t.ok((await post('/events', { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ epcList: serials(100) }) })).statusCode === 201, 'at the limit is fine')
  const stored = await sql<{ n: number }>`SELECT (SELECT count(*) FROM event)::int + (SELECT count(*) FROM capture_job)::int AS n`.execute(app.db)
  t.equal(stored.rows[0]!.n, 1, 'only the event at the limit was stored; no job was created')
})

export type { Json }
