import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import { eventHashId } from '../../src/epcis/event-hash/index.js'
import { build, captureAndWait, fixturesDir, jsonFixture } from '../helper.js'

const examplesDir = join(fixturesDir, 'gs1', 'epcis-examples', 'json')

function listDocuments(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? listDocuments(path) : name.endsWith('.jsonld') ? [path] : []
    })
    .sort()
}

type Json = Record<string, unknown>

function eventsOf(document: Json): Json[] {
  const body = document.epcisBody as Json
  if (Array.isArray(body.eventList)) return body.eventList as Json[]
  return (((body.queryResults as Json).resultsBody as Json).eventList as Json[]) ?? []
}

/** prefix -> namespace, from the inline objects of a @context. */
function prefixes(context: unknown): Record<string, unknown> {
  const list = Array.isArray(context) ? context : [context]
  return Object.assign({}, ...list.filter((c) => c && typeof c === 'object'))
}

function usedPrefixes(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => usedPrefixes(v, into))
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const match = /^([^:/]+):/.exec(key)
      if (match && key !== '@context') into.add(match[1]!)
      usedPrefixes(child, into)
    }
  }
  return into
}

/** The events stored under one eventID, exactly as captured (GS1-EPC-Format: Never_Translates). */
async function eventsWithId(app: Awaited<ReturnType<typeof build>>, eventId: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/events/${encodeURIComponent(eventId)}`,
    headers: { 'gs1-epc-format': 'Never_Translates' },
  })
  if (response.statusCode !== 200) throw new Error(`${eventId}: ${response.statusCode} ${response.body}`)
  const document = response.json() as Json
  const shared = prefixes(document['@context'])
  return eventsOf(document).map((event) => {
    const { '@context': own, ...rest } = event
    return { event: rest, context: own ? prefixes(own) : shared }
  })
}

const documents = listDocuments(examplesDir)

t.test('every GS1 JSON-LD example is captured and every event comes back as sent, plus recordTime', async (t) => {
  t.equal(documents.length, 47, 'all 47 GS1 examples are fixtures')
  const app = await build(t)
  for (const path of documents) {
    const name = relative(examplesDir, path)
    const document = jsonFixture(relative(fixturesDir, path))
    const job = await captureAndWait(app, document)
    t.equal(job.success, true, `${name}: captured (${JSON.stringify(job.errors)})`)
    const documentPrefixes = prefixes(document['@context'])
    const namespaces = Object.fromEntries(Object.entries(documentPrefixes).filter(([, v]) => typeof v === 'string')) as Record<string, string>
    for (const [i, original] of eventsOf(document).entries()) {
      const eventId = (original.eventID as string | undefined) ?? eventHashId(original, namespaces)
      const candidates = await eventsWithId(app, eventId)
      const expected: Json = { ...original, eventID: eventId }
      delete expected.recordTime
      const back = candidates.find(({ event }) => {
        const { recordTime: _, ...rest } = event
        return JSON.stringify(sortKeys(rest)) === JSON.stringify(sortKeys(expected))
      })
      t.ok(back, `${name} #${i}: stored and returned equal to what was sent (eventID ${eventId})`)
      if (!back) {
        t.same(candidates.map((c) => c.event), [expected], `${name} #${i}: what came back`)
        continue
      }
      t.match(back.event.recordTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, `${name} #${i}: recordTime set`)
      for (const prefix of usedPrefixes(original)) {
        if (prefix in documentPrefixes) {
          t.equal(back.context[prefix], documentPrefixes[prefix], `${name} #${i}: @context gives ${prefix}`)
        }
      }
    }
  }
})

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Json)[k])]))
  }
  return value
}
