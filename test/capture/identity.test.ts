import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build, buildWithDatabase, captureAndWait, waitForJob, buildTestApp, testConfig } from '../helper.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'

type App = Awaited<ReturnType<typeof build>>

async function eventList(app: App, qs: string, headers: Record<string, string> = {}): Promise<Json[]> {
  const response = await app.inject({ method: 'GET', url: `/events?${qs}`, headers })
  if (response.statusCode !== 200) throw new Error(`${qs}: ${response.statusCode} ${response.body}`)
  return response.json().epcisBody.queryResults.resultsBody.eventList as Json[]
}

// urn:epc:id:sgtin:8934567.012345.100 <-> GTIN 08934567123457 (indicator 0, check digit 7)
const sgtinUrn = 'urn:epc:id:sgtin:8934567.012345.100'
const sgtinDl = 'https://id.gs1.org/01/08934567123457/21/100'
const glnUrn = 'urn:epc:id:sgln:8934567.00001.0'
const glnDl = 'https://id.gs1.org/414/8934567000017'
const lotUrn = 'urn:epc:class:lgtin:8934567.012345.LOT7'
const lotDl = 'https://id.gs1.org/01/08934567123457/10/LOT7'

t.test('an identifier is found whichever form it was captured and asked in', async (t) => {
  const app = await build(t)
  await captureAndWait(
    app,
    epcisDocument([
      objectEvent({ eventID: 'urn:uuid:10000000-0000-4000-8000-000000000001', epcList: [sgtinUrn], readPoint: { id: glnUrn } }),
      objectEvent({
        eventID: 'urn:uuid:10000000-0000-4000-8000-000000000002',
        epcList: [],
        quantityList: [{ epcClass: lotDl, quantity: 5, uom: 'KGM' }],
        bizLocation: { id: glnDl },
        readPoint: { id: 'https://id.gs1.org/414/8934567000017/254/7' },
      }),
    ]),
  )
  const ids = async (qs: string) => (await eventList(app, qs)).map((e) => String(e.eventID).slice(-1))
  t.same(await ids(`MATCH_epc=${encodeURIComponent(sgtinDl)}`), ['1'], 'captured as URN, asked as Digital Link')
  t.same(await ids(`MATCH_epc=${sgtinUrn}`), ['1'])
  t.same(await ids(`EQ_readPoint=${encodeURIComponent(glnDl)}`), ['1'])
  t.same(await ids(`EQ_bizLocation=${glnUrn}`), ['2'], 'captured as Digital Link, asked as URN')
  t.same(await ids(`MATCH_epcClass=${lotUrn}`), ['2'])
  t.same(await ids('MATCH_epcClass=urn:epc:idpat:sgtin:8934567.012345.*'), ['2'], 'a class pattern matches its lots')
  t.same(await ids('MATCH_epc=urn:epc:idpat:sgtin:8934567.012345.*'), ['1'], 'an instance pattern matches its serials')
  t.same(await ids('MATCH_epc=urn:epc:idpat:sgtin:8934567.*.*'), ['1'], 'a company-prefix pattern')
  t.same(await ids('MATCH_epc=urn:epc:idpat:sgtin:8934568.*.*'), [], 'another company')
  t.same(await ids(`EQ_readPoint=${encodeURIComponent('urn:epc:id:sgln:8934567.00001.7')}`), ['2'], 'an SGLN extension')
})

t.test('CBV values compare equal in any of their three forms; the event keeps its own', async (t) => {
  const app = await build(t)
  await captureAndWait(
    app,
    epcisDocument([
      objectEvent({ bizStep: 'shipping', disposition: 'in_transit' }),
      objectEvent({ bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping', disposition: 'https://ref.gs1.org/cbv/Disp-in_transit' }),
      objectEvent({ bizStep: 'https://ref.gs1.org/cbv/BizStep-receiving', disposition: 'in_progress' }),
    ]),
  )
  for (const form of ['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'https://ref.gs1.org/cbv/BizStep-shipping']) {
    const found = await eventList(app, `EQ_bizStep=${encodeURIComponent(form)}`)
    t.same(found.map((e) => e.bizStep), ['shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'], `EQ_bizStep=${form}`)
  }
  t.equal((await eventList(app, 'EQ_disposition=urn:epcglobal:cbv:disp:in_progress')).length, 1)
  t.equal((await eventList(app, 'EQ_bizStep=https://example.org/steps/inspecting')).length, 0, 'a user vocabulary value')
})

t.test('an invalid GS1 identifier makes its event invalid; other URIs are accepted as given', async (t) => {
  const app = await build(t)
  const response = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(epcisDocument([objectEvent({ epcList: ['https://id.gs1.org/01/08934567123458/21/100'] })])),
  })
  t.equal(response.statusCode, 400)
  const problem = response.json()
  t.equal(problem.type, 'epcisException:ValidationException')
  t.equal(problem.errors[0].pointer, '/epcisBody/eventList/0/epcList/0', 'names the field')
  t.match(problem.errors[0].message, /check digit/i, 'and the reason')

  const badUrn = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(epcisDocument([objectEvent({ readPoint: { id: 'urn:epc:id:sgln:8934567.1.0' } })])),
  })
  t.equal(badUrn.statusCode, 400, 'a malformed SGLN URN')

  const other = 'https://trace.example.vn/pig/VN-TN-0001'
  const job = await captureAndWait(app, epcisDocument([objectEvent({ epcList: [other, 'urn:uuid:0f4c7c49-6a43-4e23-8f0a-4bde1e2a9a3f'] })]))
  t.equal(job.success, true)
  t.equal((await eventList(app, `MATCH_epc=${encodeURIComponent(other)}`)).length, 1)
})

t.test('events without eventID get their CBV 2.0 event hash as eventID', async (t) => {
  const app = await build(t)
  const event = objectEvent()
  delete event.eventID
  await captureAndWait(app, epcisDocument([event]))
  const [stored] = await eventList(app, '')
  t.match(stored!.eventID, /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/)
})

t.test('capture is idempotent: a re-sent document stores nothing new and says so', async (t) => {
  const app = await build(t)
  const withoutIds = [objectEvent(), objectEvent()].map(({ eventID: _, ...e }) => e)
  const document = epcisDocument([...withoutIds, objectEvent({ eventID: 'urn:uuid:20000000-0000-4000-8000-000000000001' })])
  const first = await captureAndWait(app, document)
  t.equal(first.storedCount, 3)
  const second = await captureAndWait(app, document)
  t.equal(second.success, true)
  t.equal(second.storedCount, 0)
  t.equal((second as unknown as { duplicateCount: number }).duplicateCount, 3)
  t.equal((await eventList(app, '')).length, 3)

  const single = { '@context': EPCIS_CONTEXT_URL, ...objectEvent({ eventID: 'urn:uuid:20000000-0000-4000-8000-000000000002' }) }
  t.equal((await app.inject({ method: 'POST', url: '/events', payload: single })).statusCode, 201)
  const again = await app.inject({ method: 'POST', url: '/events', payload: single })
  t.equal(again.statusCode, 409)
  t.equal(again.json().type, 'epcisException:ResourceAlreadyExistsException')
  t.equal((await eventList(app, '')).length, 4)
})

t.test('two instances capturing the same document at once store it once', async (t) => {
  const { app: one, databaseUrl } = await buildWithDatabase(t)
  const two = await buildTestApp({
    config: { ...testConfig({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 1 }), DATABASE_URL: databaseUrl },
  })
  t.teardown(() => two.close())
  const document = JSON.stringify(epcisDocument(Array.from({ length: 200 }, () => objectEvent())))
  for (let round = 0; round < 3; round++) {
    const post = (app: App) =>
      app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/json' }, payload: document })
    const [a, b] = await Promise.all([post(one), post(two)])
    const jobs = await Promise.all([waitForJob(one, a.headers.location as string), waitForJob(two, b.headers.location as string)])
    t.ok(jobs.every((j) => j.success), `round ${round}: both jobs succeed`)
  }
  const stored = await eventList(one, 'perPage=1000')
  t.equal(stored.length, 200, 'every event stored exactly once')
})

t.test('GS1-EPC-Format', async (t) => {
  const app = await build(t)
  await captureAndWait(
    app,
    epcisDocument([
      objectEvent({ eventID: 'urn:uuid:30000000-0000-4000-8000-000000000001', epcList: [sgtinUrn], readPoint: { id: glnUrn } }),
      objectEvent({ eventID: 'urn:uuid:30000000-0000-4000-8000-000000000002', epcList: ['https://id.gs1.org/01/09506000134352/21/A1'], readPoint: { id: glnDl } }),
    ]),
  )
  const byFormat = async (format?: string) => {
    const response = await app.inject({ method: 'GET', url: '/events', headers: format ? { 'gs1-epc-format': format } : {} })
    return { status: response.statusCode, header: response.headers['gs1-epc-format'], events: response.statusCode === 200 ? (response.json().epcisBody.queryResults.resultsBody.eventList as Json[]) : [] }
  }
  const dl = await byFormat()
  t.equal(dl.header, 'Always_GS1_Digital_Link', 'Digital Link is the default')
  t.same(dl.events.map((e) => [e.epcList, (e.readPoint as Json).id]), [
    [[sgtinDl], glnDl],
    [['https://id.gs1.org/01/09506000134352/21/A1'], glnDl],
  ])
  const urn = await byFormat('Always_EPC_URN')
  t.same(urn.events[0]!.epcList, [sgtinUrn])
  t.equal((urn.events[1]!.readPoint as Json).id, glnUrn, 'a Digital Link whose Company Prefix was learnt from a URN')
  t.same(urn.events[1]!.epcList, ['https://id.gs1.org/01/09506000134352/21/A1'], 'an unknown Company Prefix stays a Digital Link')
  const put = await app.inject({ method: 'PUT', url: '/admin/company-prefixes/9506000' })
  t.equal(put.statusCode, 201)
  const again = await byFormat('Always_EPC_URN')
  t.same(again.events[1]!.epcList, ['urn:epc:id:sgtin:9506000.013435.A1'], 'once the prefix is declared')
  const never = await byFormat('Never_Translates')
  t.same(never.events.map((e) => e.epcList), [[sgtinUrn], ['https://id.gs1.org/01/09506000134352/21/A1']])
  t.equal((await byFormat('Sometimes')).status, 400)
})

t.test('error declarations: the erroneous event stays, the declaration is found by its parameters', async (t) => {
  const app = await build(t)
  const original = objectEvent({ eventID: 'urn:uuid:40000000-0000-4000-8000-000000000001', epcList: [sgtinUrn] })
  const corrective = objectEvent({ eventID: 'urn:uuid:40000000-0000-4000-8000-000000000002', epcList: [sgtinUrn], bizStep: 'receiving' })
  await captureAndWait(app, epcisDocument([original]))
  const declaration = {
    ...original,
    errorDeclaration: {
      declarationTime: '2024-05-02T10:00:00.000+07:00',
      reason: 'incorrect_data',
      correctiveEventIDs: [corrective.eventID],
    },
  }
  const job = await captureAndWait(app, epcisDocument([declaration, corrective]))
  t.equal(job.storedCount, 2, 'a declaration is stored although it hashes like its event')
  const both = await app.inject({ method: 'GET', url: `/events/${original.eventID}` })
  const list = both.json().epcisBody.queryResults.resultsBody.eventList as Json[]
  t.equal(list.length, 2, 'GET /events/{eventID} gives the event and its declaration')
  t.ok(list.some((e) => e.errorDeclaration) && list.some((e) => !e.errorDeclaration))

  const ids = async (qs: string) => (await eventList(app, qs)).map((e) => `${e.eventID}${e.errorDeclaration ? '!' : ''}`)
  t.same(await ids('EXISTS_errorDeclaration'), [`${original.eventID}!`])
  t.same(await ids('EQ_errorReason=incorrect_data'), [`${original.eventID}!`])
  t.same(await ids('EQ_errorReason=urn:epcglobal:cbv:er:incorrect_data'), [`${original.eventID}!`])
  t.same(await ids('EQ_errorReason=did_not_occur'), [])
  t.same(await ids('GE_errorDeclarationTime=2024-05-02T03:00:00Z'), [`${original.eventID}!`])
  t.same(await ids('LT_errorDeclaration_Time=2024-05-02T03:00:00Z'), [])
  t.same(await ids(`EQ_correctiveEventID=${corrective.eventID}`), [`${original.eventID}!`])
  t.equal((await captureAndWait(app, epcisDocument([declaration]))).storedCount, 0, 'a re-sent declaration is idempotent')
})
