/**
 * Three repositories on one machine, as real service processes with databases of their own: an enterprise
 * repository E (a farm and a slaughterhouse capture there) pushes to the provincial repository P (a retailer
 * captures there), P pushes to the national repository N, and N also pulls from a fourth repository that only
 * serves GET /events. The pork chain of the traceability tests is split over them; N then answers lineage and
 * recall exactly as one repository holding every event, shows where each step was first recorded, and catches
 * up after an outage with nothing lost or stored twice. A peer with a wrong token is failing with the 401.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import t from 'tap'
import type { LineageAnswer, RecallAnswer } from '../../src/traceability/service.js'
import { createTestDatabase, type TestDatabase } from '../db.js'
import { epcisDocument, objectEvent, type Json } from '../factories.js'
import { build, captureAndWait } from '../helper.js'
import { freePort, startService, type ServiceProcess } from '../server/service-process.js'
import { FARM_LOT, packP01, packP02, PARTY, porkChain } from '../traceability/pork-chain.js'
import { startEventsServer } from './events-server.js'
import { TEST_FEDERATION_KEY, until } from './peer-helpers.js'

t.setTimeout(600_000)

const SETTINGS = {
  FEDERATION_KEY: TEST_FEDERATION_KEY,
  SUBSCRIPTION_DESTINATIONS: 'any',
  SUBSCRIPTION_RETRY_MIN_MS: '200',
  SUBSCRIPTION_RETRY_MAX_MS: '1000',
  SUBSCRIPTION_CONNECT_TIMEOUT_MS: '1000',
  SUBSCRIPTION_TIMEOUT_MS: '10000',
  SUBSCRIPTION_LEASE_MS: '30000',
  SUBSCRIPTION_POLL_MS: '2000',
  CAPTURE_WORKER_CONCURRENCY: '1',
  // Every process calls from 127.0.0.1: the wrong-token peer's failures would otherwise shut the right one out too.
  AUTH_FAILURE_LIMIT: '0',
}

interface Repo {
  name: string
  db: TestDatabase
  port: number
  url: string
  dataDir: string
  service: ServiceProcess
}

async function start(name: string, db: TestDatabase, port: number, dataDir: string): Promise<ServiceProcess> {
  const url = `http://127.0.0.1:${port}`
  return startService(t, { ...SETTINGS, DATABASE_URL: db.url, DATA_DIR: dataDir, PUBLIC_BASE_URL: url }, { waitFor: '/health/ready', port, timeoutMs: 180_000 })
}

async function repository(name: string): Promise<Repo> {
  const db = await createTestDatabase()
  t.teardown(() => db.drop())
  const port = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), `nguon-fed-${name}-`))
  return { name, db, port, url: `http://127.0.0.1:${port}`, dataDir, service: await start(name, db, port, dataDir) }
}

async function call<T = any>(repo: Repo, method: string, path: string, body?: unknown, key?: string): Promise<T> {
  const response = await repo.service.request(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/ld+json' }), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${repo.name}: ${method} ${path} answered ${response.status}: ${text}`)
  return (text === '' ? undefined : JSON.parse(text)) as T
}

async function capture(repo: Repo, document: unknown, key: string): Promise<void> {
  const response = await repo.service.request('/capture', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/ld+json' },
    body: JSON.stringify(document),
  })
  if (response.status !== 202) throw new Error(`${repo.name}: capture answered ${response.status}: ${await response.text()}`)
  const location = new URL(response.headers.get('location')!).pathname
  const job = await until(`${repo.name}'s capture job`, async () => {
    const view = await call(repo, 'GET', location)
    return view.running ? undefined : view
  }, 60_000)
  if (!job.success) throw new Error(`${repo.name}: capture failed: ${JSON.stringify(job.errors)}`)
}

async function organisation(repo: Repo, id: string, identifiers: string[], roles: string[]): Promise<string> {
  await call(repo, 'POST', '/admin/organizations', { id, name: id, identifiers })
  return (await call<{ key: string }>(repo, 'POST', '/admin/api-keys', { organization: id, roles })).key
}

async function eventCounts(repo: Repo): Promise<{ rows: number; distinct: number }> {
  const client = new pg.Client({ connectionString: repo.db.url })
  await client.connect()
  try {
    const result = await client.query<{ rows: number; distinct: number }>('SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM event')
    return result.rows[0]!
  } finally {
    await client.end()
  }
}

const site = (event: Json) => String((event.bizLocation as Json | undefined)?.id ?? '')
const eventsOf = (document: Json) => (document.epcisBody as { eventList: Json[] }).eventList

/** Lineage and recall answers, compared as sets (each repository orders equal rows by its own keys). */
function lineageShape(answer: LineageAnswer) {
  return {
    root: answer.root,
    nodes: answer.nodes.map((n) => JSON.stringify(n)).sort(),
    edges: answer.edges.map((e) => JSON.stringify({ ...e, eventID: undefined, event: undefined })).sort(),
  }
}

function recallShape(answer: RecallAnswer) {
  return {
    items: answer.items.map((i) => JSON.stringify(i)).sort(),
    locations: answer.locations.map((l) => JSON.stringify(l)).sort(),
    parties: answer.parties.map((p) => JSON.stringify(p)).sort(),
  }
}

t.test('enterprise → province → nation, and a pull: the nation answers as one repository holding every event', async (t) => {
  const chain = porkChain()
  const [first, second, declaration] = chain.documents as [Json, Json, Json]
  const farmEvents = eventsOf(first).filter((e) => /8930001|8930002/.test(site(e)))
  const slaughterEvents = eventsOf(first).filter((e) => !farmEvents.includes(e))
  // Day 5 at supermarket B (a pack taken out of its case and sold) is recorded in a fourth repository.
  const pulledEvents = eventsOf(second).slice(-5, -3)
  const provinceEvents = [...eventsOf(second).slice(0, -5), ...eventsOf(second).slice(-3)]
  // Each repository holds the master data of its own sites and products: E the farms', the slaughterhouse's and
  // the carcasses', P the rest (what a push sends along is the master data its events name).
  const enterpriseSites = /8930001|8930002|8930003/
  const masterData = (ofEnterprise: boolean) => ({
    epcisMasterData: {
      vocabularyList: ((first.epcisHeader as Json).epcisMasterData as { vocabularyList: Array<{ type: string; vocabularyElementList: Json[] }> }).vocabularyList.map(
        (vocabulary) => ({ ...vocabulary, vocabularyElementList: vocabulary.vocabularyElementList.filter((e) => enterpriseSites.test(String(e.id)) === ofEnterprise) }),
      ),
    },
  })

  const [E, P, N] = await Promise.all([repository('E'), repository('P'), repository('N')])
  const source = await startEventsServer('x-token')
  t.teardown(() => source.close())

  // Accounts: E is an organisation of P that may forward; P one of N. At E, a farm and a slaughterhouse capture.
  const farmKey = await organisation(E, 'farm', [PARTY.farmA, PARTY.farmB], ['capture'])
  const slaughterhouseKey = await organisation(E, 'slaughterhouse', [PARTY.slaughterhouse], ['capture'])
  const enterpriseAtP = await organisation(P, 'enterprise-e', [], ['capture', 'forward'])
  const retailerKey = await organisation(P, 'retailer', [PARTY.distributor], ['capture'])
  const provinceAtN = await organisation(N, 'province-p', [], ['capture', 'forward'])
  const secrets = [enterpriseAtP, provinceAtN, 'x-token']

  // Every event goes up, whatever its publication state here: this test is about delivery and lineage, not about what
  // each level publishes (test/federation/push-publication.test.ts is).
  await call(E, 'POST', '/admin/peers', { id: 'province', name: 'Tỉnh P', baseUrl: P.url, direction: 'push', credentials: { bearer: enterpriseAtP }, sendEverything: true })
  await call(P, 'POST', '/admin/peers', { id: 'nation', name: 'Quốc gia N', baseUrl: N.url, direction: 'push', credentials: { bearer: provinceAtN }, sendEverything: true })
  await call(P, 'POST', '/admin/peers', { id: 'nation-wrong', name: 'N, wrong token', baseUrl: N.url, direction: 'push', credentials: { bearer: 'ngk_wrong_token' } })
  await call(N, 'POST', '/admin/peers', {
    id: 'retail-chain',
    name: 'Supermarket chain repository',
    baseUrl: source.url,
    direction: 'pull',
    credentials: { bearer: 'x-token' },
    initialRecordTime: '2020-01-01T00:00:00Z',
    pullIntervalSeconds: 1,
  })

  await capture(E, epcisDocument(farmEvents, [], masterData(true)), farmKey)
  await capture(E, epcisDocument(slaughterEvents), slaughterhouseKey)
  await capture(P, epcisDocument(provinceEvents, [], masterData(false)), retailerKey)
  const now = new Date().toISOString()
  source.events.push(...pulledEvents.map((e) => ({ ...e, recordTime: now })))

  const beforeOutage = farmEvents.length + slaughterEvents.length + provinceEvents.length + pulledEvents.length
  await until('every event at N', async () => (await eventCounts(N)).rows >= beforeOutage, 120_000)

  // N goes away for a while; P goes on capturing (the declaration of the wrong shipment and more) and keeps them.
  const firstN = N.service
  N.service.child.kill('SIGTERM')
  await N.service.exited
  const extra = [1, 2, 3, 4].map((n) => objectEvent({ eventID: `urn:uuid:0fa9e000-0000-4000-8000-00000000000${n}` }))
  await capture(P, declaration, retailerKey)
  await capture(P, epcisDocument(extra), retailerKey)
  // A delivery cut by N's shutdown may first fail with N's 503 (it was draining); the retries then meet the closed port.
  const waiting = await until('P to see N failing', async () => {
    const peer = await call(P, 'GET', '/admin/peers/nation')
    return peer.state.failingSince && peer.state.lagMs > 0 && /ECONNREFUSED|connect/.test(peer.state.lastError ?? '') ? peer : undefined
  }, 60_000)
  t.match(waiting.state.lastError, /ECONNREFUSED|connect/, 'the outage is in the state')
  N.service = await start('N', N.db, N.port, N.dataDir)
  await until('P to catch up', async () => (await eventCounts(N)).rows >= beforeOutage + 1 + extra.length, 120_000)
  const caughtUp = await until('the push state', async () => {
    const peer = await call(P, 'GET', '/admin/peers/nation')
    return peer.state.status === 'ok' && peer.state.lagMs === 0 ? peer : undefined
  }, 60_000)
  const single = await build(t)
  for (const document of [...chain.documents, epcisDocument(extra)]) t.equal((await captureAndWait(single, document)).success, true)
  const reference = await single.db.selectFrom('event').select((eb) => [eb.fn.countAll<number>().as('rows'), sql<number>`count(DISTINCT event_id)::int`.as('distinct')]).executeTakeFirstOrThrow()
  t.same(await eventCounts(N), { rows: Number(reference.rows), distinct: reference.distinct }, 'nothing lost, nothing stored twice (the error declaration repeats its eventID)')
  t.ok(caughtUp.state.eventsSent >= provinceEvents.length + farmEvents.length + slaughterEvents.length + 1 + extra.length)

  // One repository holding every event is the reference.
  const ask = async <T>(path: string, query: Record<string, string>): Promise<[T, T]> => {
    const search = new URLSearchParams(query)
    const atN = await call<T>(N, 'GET', `${path}?${search}`)
    const one = await single.inject({ method: 'GET', url: `${path}?${search}` })
    return [atN, one.json() as T]
  }
  for (const epc of [packP01(2), packP02(1)]) {
    const [atN, one] = await ask<LineageAnswer>('/traceability/lineage', { epc, direction: 'upstream' })
    t.same(lineageShape(atN), lineageShape(one), `upstream lineage of ${epc}: as one repository answers`)
    t.ok(atN.nodes.length > 5)
  }
  for (const epc of [FARM_LOT.FA2406, FARM_LOT.FB2405]) {
    const [atN, one] = await ask<RecallAnswer>('/traceability/recall', { epc })
    t.same(recallShape(atN), recallShape(one), `recall of ${epc}: as one repository answers`)
    t.ok(atN.items.length > 3)
  }

  // Where each step was first recorded.
  const authorityKey = await organisation(N, 'bo-nong-nghiep', [], ['authority'])
  const origin = async (eventId: string) =>
    (await call(N, 'GET', `/events/${encodeURIComponent(String(eventId))}`, undefined, authorityKey))['nguon:provenance'][0]
  t.match(await origin(farmEvents[0]!.eventID as string), { originOrganisation: /^https:\/\/id\.gs1\.org\/417\/8930001/, originRepository: E.url })
  t.match(await origin(slaughterEvents[0]!.eventID as string), { originOrganisation: /^https:\/\/id\.gs1\.org\/417\/8930003/, originRepository: E.url })
  t.match(await origin(provinceEvents[0]!.eventID as string), { originOrganisation: /^https:\/\/id\.gs1\.org\/417\/8930005/, originRepository: P.url })
  t.match(await origin(pulledEvents[0]!.eventID as string), { originRepository: source.url, sourcePeer: 'retail-chain' })

  // The peer with a wrong token: failing with N's 401, its events all still waiting.
  const wrong = await call(P, 'GET', '/admin/peers/nation-wrong')
  t.equal(wrong.state.status, 'failing')
  t.match(wrong.state.lastError, /401/)
  t.equal(wrong.state.eventsSent, 0)
  t.ok(wrong.state.oldestPendingRecordTime, 'nothing dropped: the oldest event still waits')

  for (const [name, service] of [['E', E.service], ['P', P.service], ['N', firstN], ['N restarted', N.service]] as const) {
    t.ok(service.output().length > 0, `${name} logged`)
    for (const secret of secrets) t.notOk(service.output().includes(secret), `${name}'s log holds no peer credential`)
  }
})
