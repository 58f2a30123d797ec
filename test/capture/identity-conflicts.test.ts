/**
 * Same identity, other content (issue 13, item 9): the CBV 2.0 hash leaves certificationInfo out, so two events that
 * differ only there get the same hash eventID. The second is a conflict that names the stored event and the fields
 * that differ, never a silent duplicate: 409 on POST /events, an error for that event in a capture job.
 */
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'
import { build, buildTestApp, buildWithDatabase, captureAndWait, testConfig, waitForJob } from '../helper.js'

let serial = 0
/** An event without eventID, certified by `certificate`. */
const certified = (epc: string, certificate: string): Json =>
  objectEvent({ epcList: [epc], certificationInfo: `https://chungnhan.example.vn/${certificate}` })
const newEpc = () => `urn:epc:id:sgtin:8934567.012345.C${++serial}`

const postEvent = (app: FastifyInstance, event: Json) =>
  app.inject({ method: 'POST', url: '/events', payload: { '@context': [EPCIS_CONTEXT_URL], ...event } })

const eventsNaming = async (app: FastifyInstance, epc: string) =>
  (await app.inject({ method: 'GET', url: `/events?MATCH_epc=${encodeURIComponent(epc)}` })).json().epcisBody.queryResults.resultsBody
    .eventList as Json[]

const captureAs = (app: FastifyInstance, document: Json, behaviour: 'rollback' | 'proceed') =>
  captureAndWait(app, document, { 'gs1-capture-error-behaviour': behaviour })

t.test('POST /events: the same hash with another certificate is a 409 naming the stored event and the field', async (t) => {
  const app = await build(t)
  const epc = newEpc()
  const first = await postEvent(app, certified(epc, 'VG-1'))
  t.equal(first.statusCode, 201)
  const eventId = decodeURIComponent((first.headers.location as string).split('/events/')[1]!)

  const other = await postEvent(app, certified(epc, 'VG-2'))
  t.equal(other.statusCode, 409)
  t.equal(other.json().type, 'epcisException:ResourceAlreadyExistsException')
  t.match(other.json().detail, eventId, 'names the stored event')
  t.match(other.json().detail, 'certificationInfo', 'names the field that differs')

  const repeat = await postEvent(app, certified(epc, 'VG-1'))
  t.equal(repeat.statusCode, 409, 'the very same event is a duplicate')
  t.notMatch(repeat.json().detail, 'certificationInfo')
  t.same((await eventsNaming(app, epc)).map((e) => e.certificationInfo), ['https://chungnhan.example.vn/VG-1'])
})

t.test('what the hash covers may be spelled differently: the same event, a duplicate', async (t) => {
  const app = await build(t)
  const urn = 'urn:epc:id:sgtin:8934567.012345.SPELL1'
  const digitalLink = 'https://id.gs1.org/01/08934567123457/21/SPELL1'
  const event = (epc: string) => objectEvent({ eventTime: '2024-05-02T08:00:00.000+07:00', epcList: [epc] })
  t.equal((await postEvent(app, event(urn)).then((r) => r.statusCode)), 201)
  const again = await postEvent(app, event(digitalLink))
  t.equal(again.statusCode, 409)
  t.notMatch(again.json().detail, 'differ', 'a plain duplicate')
  const noted = (note: string) => objectEvent({ eventTime: '2024-05-03T08:00:00.000+07:00', action: 'ADD', epcList: [urn], ilmd: { 'https://ns.example.vn/epcis/note': note } })
  t.equal((await postEvent(app, noted('lô đầu'))).statusCode, 201)
  const spaced = await postEvent(app, noted('lô đầu '))
  t.equal(spaced.statusCode, 409)
  t.match(spaced.json().detail, 'these fields differ: ilmd', 'white space the hash trims is still a difference')
})

t.test('capture jobs: a conflict is an error for that event, under rollback and proceed', async (t) => {
  const app = await build(t)
  const epc = newEpc()
  t.equal((await captureAs(app, epcisDocument([certified(epc, 'VG-1')]), 'rollback')).storedCount, 1)

  const bystander = newEpc()
  const document = epcisDocument([objectEvent({ epcList: [bystander] }), certified(epc, 'VG-2')])
  const rolledBack = await captureAs(app, document, 'rollback')
  t.match(rolledBack, { success: false, storedCount: 0 })
  t.match(rolledBack.errors, [{ eventIndex: 1, detail: /certificationInfo/ }])
  t.same(await eventsNaming(app, bystander), [], 'under rollback nothing of the document is stored')

  const proceeded = await captureAs(app, document, 'proceed')
  t.match(proceeded, { success: false, storedCount: 1, duplicateCount: 0 })
  t.match(proceeded.errors, [{ eventIndex: 1, detail: /certificationInfo/ }])
  t.equal((await eventsNaming(app, bystander)).length, 1, 'under proceed the other events are stored')
  t.same((await eventsNaming(app, epc)).map((e) => e.certificationInfo), ['https://chungnhan.example.vn/VG-1'])

  const again = await captureAs(app, document, 'proceed')
  t.match(again, { storedCount: 0, duplicateCount: 1 }, 'the same document again: one duplicate, one conflict')
  t.equal(again.errors.length, 1)

  const inOne = newEpc()
  const within = await captureAs(app, epcisDocument([certified(inOne, 'A'), certified(inOne, 'B')]), 'proceed')
  t.match(within, { storedCount: 1, duplicateCount: 0 })
  t.match(within.errors, [{ eventIndex: 1, detail: /certificationInfo/ }], 'two versions in one document')
})

t.test('two instances capturing conflicting versions at once: one is stored, the other is an error', async (t) => {
  const { app: one, databaseUrl } = await buildWithDatabase(t)
  const two = await buildTestApp({ config: { ...testConfig(), DATABASE_URL: databaseUrl } })
  t.teardown(() => two.close())
  for (let round = 0; round < 3; round++) {
    const epc = newEpc()
    const send = (app: FastifyInstance, certificate: string) =>
      app.inject({
        method: 'POST',
        url: '/capture',
        headers: { 'content-type': 'application/json' },
        payload: epcisDocument([certified(epc, certificate)]),
      })
    const [a, b] = await Promise.all([send(one, 'X'), send(two, 'Y')])
    const jobs = await Promise.all([waitForJob(one, a.headers.location as string), waitForJob(two, b.headers.location as string)])
    t.same(jobs.map((j) => j.storedCount).sort(), [0, 1], `round ${round}: one version stored`)
    t.equal(jobs.filter((j) => j.errors.some((e) => /certificationInfo/.test(e.detail))).length, 1, `round ${round}: the other is a conflict`)
    t.equal((await eventsNaming(one, epc)).length, 1)
  }
})
