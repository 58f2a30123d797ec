/**
 * Every route the app registers, asked with hostile path values, query strings and bodies: no answer is a
 * 5xx, none takes longer than a few seconds, and the process answers /health/live afterwards. Routes are
 * read from the app itself (printRoutes), so a new route is covered without touching this file.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { sql } from 'kysely'
import t from 'tap'
import type { FastifyInstance, HTTPMethods } from 'fastify'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

interface Route {
  method: HTTPMethods
  path: string
}

/** Route paths and methods from the app's own router (Fastify's printRoutes tree, full path per node). */
export function routesOf(app: FastifyInstance): Route[] {
  const routes: Route[] = []
  const stack: Array<{ depth: number; path: string }> = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[└├]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop()
    const path = `${stack[stack.length - 1]?.path ?? ''}${match[2]}`
    stack.push({ depth, path })
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method: method as HTTPMethods, path })
  }
  return routes
}

/** Text PostgreSQL cannot compress (an index entry is compressed before it is measured against the row limit). */
function incompressible(length: number): string {
  let out = ''
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(String(i)).digest('hex')
  return out.slice(0, length)
}

/** What broke a parser or PostgreSQL once. */
const WORST = ['\u0000', 'a\u0000b', '\ud800', 'Infinity', '1e400', '0000-01-01T00:00:00Z', `https://example.org/${incompressible(1900)}`,
  `urn:x:${incompressible(3000)}`]
const NASTY = [
  '', '\udc00x', '-Infinity', 'NaN', '-1', '0', '99999999999999999999', '9999-12-31T23:59:59.999Z', '10000-01-01T00:00:00Z', '2024-02-30T00:00:00Z', '2024-05-01',
  'urn:epc:id:sgtin:8934567.012345.1', 'https://id.gs1.org/01/08934567123457/10/L1', 'urn:epc:idpat:sgtin:8934567.*.*',
  '%', '%zz', '../../etc/passwd', '{}', '[]', 'true', 'null', '__proto__', 'constructor', "'; DROP TABLE event; --",
  'x'.repeat(3000), 'Ω≈ç√∫˜µ≤≥÷', '😀', 'ASC', 'eventTime',
]
const text = fc.oneof(
  { arbitrary: fc.constantFrom(...WORST), weight: 3 },
  { arbitrary: fc.constantFrom(...NASTY), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
)

/** Percent-encodes a string, lone surrogates included (as the UTF-8 bytes of U+D800, which no decoder accepts). */
function encode(value: string): string {
  let out = ''
  for (const char of value) {
    try {
      out += encodeURIComponent(char)
    } catch {
      out += '%ED%A0%80'
    }
  }
  return out
}

const QUERY_NAMES = ['epc', 'at', 'maxDepth', 'direction', 'type', 'perPage', 'nextPageToken', 'EQ_bizStep', 'GE_eventTime',
  'LT_recordTime', 'MATCH_epc', 'MATCH_anyEPC', 'EQ_value_CEL', 'GT_quantity', 'eventCountLimit', 'orderBy', 'orderDirection',
  'EQ_ATTR_readPoint_urn:epcglobal:cbv:mda:sst', 'HASATTR_bizLocation', 'linkType', 'lang', 'data', 'size', 'format', 'id']
const query = fc.array(
  fc.tuple(fc.oneof({ arbitrary: fc.constantFrom(...QUERY_NAMES), weight: 4 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 }), text),
  { maxLength: 4 },
)

const eventFields = ['eventTime', 'eventTimeZoneOffset', 'eventID', 'action', 'bizStep', 'disposition', 'readPoint', 'bizLocation',
  'epcList', 'parentID', 'quantityList', 'ilmd', 'errorDeclaration', 'sensorElementList', 'bizTransactionList', 'example:x']
const jsonish: fc.Arbitrary<unknown> = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null),
  fc.array(text, { maxLength: 3 }), fc.dictionary(fc.oneof(text, fc.constantFrom('id', 'type', '@value')), text, { maxKeys: 3 }))
const uriish = fc.tuple(fc.constantFrom('urn:x:', 'https://example.org/', 'urn:epc:id:sgtin:8934567.012345.', ''), text).map(([a, b]) => a + b)
/** Events the schema takes, with one hostile value where it allows any string or URI: these get a 202. */
const nearlyValid = fc.oneof(
  uriish.map((value) => objectEvent({ eventID: value })),
  uriish.map((value) => objectEvent({ readPoint: { id: value } })),
  uriish.map((value) => objectEvent({ bizLocation: { id: value } })),
  uriish.map((value) => objectEvent({ epcList: [value] })),
  uriish.map((value) => objectEvent({ bizStep: value })),
  uriish.map((value) => objectEvent({ bizTransactionList: [{ type: 'po', bizTransaction: value }] })),
  uriish.map((value) => objectEvent({ sourceList: [{ type: 'owning_party', source: value }] })),
  text.map((value) => objectEvent({ eventTime: value.length > 0 && /^\d/.test(value) ? value : '0000-01-01T00:00:00Z' })),
  fc.tuple(text, jsonish).map(([name, value]) => objectEvent({ [`example:${name}`]: value })),
  fc.tuple(text, jsonish).map(([name, value]) => objectEvent({ ilmd: { [`example:${name}`]: value } })),
  jsonish.map((value) => objectEvent({ sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 1, uom: 'CEL', stringValue: value }] }] })),
)
const event = fc.oneof(nearlyValid, fc.dictionary(fc.constantFrom(...eventFields), jsonish, { maxKeys: 3 }).map((fields) => objectEvent(fields)))
const context = [{ example: 'https://example.org/ns/' }]

const xml = fc.oneof(
  fc.constantFrom(
    '<ObjectEvent></x></ObjectEvent>',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
    '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent><eventTime>0000-01-01T00:00:00Z</eventTime></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>',
    '<',
  ),
  text.map((value) => `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent><eventTime>2024-05-01T08:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>${value.replace(/[<&]/g, '')}</epc></epcList><action>ADD</action></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>`),
)

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ type: 'application/json', payload: JSON.stringify(value) })),
  event.map((e) => ({ type: 'application/ld+json', payload: JSON.stringify({ '@context': [EPCIS_CONTEXT_URL, ...context], ...e }) })),
  fc.array(event, { minLength: 1, maxLength: 3 }).map((events) => ({ type: 'application/json', payload: JSON.stringify(epcisDocument(events, context)) })),
  fc.dictionary(fc.constantFrom('name', 'id', 'organization', 'roles', 'links', 'query', 'identifiers', 'attributes', 'itemDescription'), jsonish, { maxKeys: 4 })
    .map((value) => ({ type: 'application/json', payload: JSON.stringify(value) })),
  xml.map((payload) => ({ type: 'application/xml', payload })),
  text.map((payload) => ({ type: 'text/plain', payload })),
)

const REQUEST_TIMEOUT_MS = 10_000
const JOB_WAIT_MS = 20_000

const takesBody = (route: Route) => route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH'

/** Any 5xx is a failure, but for the one route that answers 501 by design (page tokens are not stored). */
function acceptable(route: Route, status: number): boolean {
  return status < 500 || (status === 501 && route.method === 'DELETE' && route.path === '/nextPageToken/:token')
}

t.test('no route answers 5xx or hangs, whatever it is sent', async (t) => {
  const app = await build(t, { RATE_LIMIT_MAX: 0 })
  const routes = routesOf(app).filter((route) => route.method !== 'HEAD')
  t.ok(routes.length > 40, `${routes.length} routes found`)
  t.ok(routes.some((r) => r.method === 'POST' && r.path === '/capture'), 'the capture route is among them')

  const request = fc.record({
    pathValues: fc.array(text, { minLength: 4, maxLength: 4 }),
    query,
    body,
    accept: fc.constantFrom(undefined, 'application/xml', 'text/csv', 'text/html', '*/*'),
  })
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
  const deadline = Date.now() + Number(process.env.FUZZ_TIME_MS ?? 20_000)
  const perRoute = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 4)
  t.comment(`seed ${seed} (FUZZ_SEED replays it)`)
  let runs = 0
  // Every route gets its share, in an order the seed shuffles, until the time budget runs out.
  for (const [index, route] of fc.sample(fc.shuffledSubarray(routes, { minLength: routes.length }), { seed, numRuns: 1 })[0]!.entries()) {
    if (Date.now() > deadline) break
    const failures: string[] = []
    await fc.assert(
      fc.asyncProperty(request, async ({ pathValues, query, body, accept }) => {
        runs++
        let n = 0
        const path = route.path.replace(/:[A-Za-z_]+|\*/g, () => encode(pathValues[n++ % pathValues.length]!) || 'x')
        const search = query.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')
        const url = search ? `${path}?${search}` : path
        const sendsBody = takesBody(route)
        const response = await Promise.race([
          app.inject({
            method: route.method,
            url,
            headers: { ...(sendsBody ? { 'content-type': body.type } : {}), ...(accept ? { accept } : {}) },
            ...(sendsBody ? { payload: body.payload } : {}),
          }),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS).unref()),
        ])
        if (!acceptable(route, response.statusCode)) {
          failures.push(`${route.method} ${url.slice(0, 300)} ${sendsBody ? body.payload.slice(0, 300) : ''} -> ${response.statusCode}`)
        }
        return acceptable(route, response.statusCode)
      }),
      { numRuns: takesBody(route) ? perRoute * 3 : perRoute, seed: seed + index, endOnFailure: true },
    ).catch((error: Error) => {
      t.fail(`${route.method} ${route.path}: ${failures[0] ?? ''}\n${error.message.slice(0, 1000)}`)
    })
  }
  t.comment(`${runs} requests`)
  const live = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200, 'the process still answers')

  // A capture accepted with 202 must be storable: its job succeeds at its first attempt.
  const jobs = () => sql<{ capture_id: string; status: string; attempts: number; errors: unknown }>`
    SELECT capture_id, status, attempts, errors FROM capture_job`.execute(app.db)
  const jobDeadline = Date.now() + JOB_WAIT_MS
  let rows = (await jobs()).rows
  while (rows.some((job) => job.status === 'queued' || job.status === 'running') && Date.now() < jobDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    rows = (await jobs()).rows
  }
  t.comment(`${rows.length} capture jobs accepted`)
  const troubled = rows.filter((job) => job.status !== 'succeeded' || job.attempts > 1)
  t.same(troubled, [], 'every accepted capture job succeeded at its first attempt')
})
