import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
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

async function allEvents(app: Awaited<ReturnType<typeof build>>): Promise<{ event: Json; context: Record<string, unknown> }[]> {
  const out: { event: Json; context: Record<string, unknown> }[] = []
  let url: string | undefined = '/events?perPage=50'
  while (url) {
    const response = await app.inject({ method: 'GET', url })
    if (response.statusCode !== 200) throw new Error(response.body)
    const document = response.json() as Json
    const shared = prefixes(document['@context'])
    for (const event of eventsOf(document)) {
      const own = event['@context'] ? prefixes(event['@context']) : undefined
      const { '@context': _, ...rest } = event
      out.push({ event: rest, context: own ?? shared })
    }
    const link = response.headers.link as string | undefined
    url = link ? /<([^>]+)>/.exec(link)![1] : undefined
  }
  return out
}

const documents = listDocuments(examplesDir)

t.test('every GS1 JSON-LD example is captured and every event comes back as sent, plus recordTime', async (t) => {
  t.equal(documents.length, 47, 'all 47 GS1 examples are fixtures')
  const app = await build(t)
  let seen = 0
  for (const path of documents) {
    const name = relative(examplesDir, path)
    const document = jsonFixture(relative(fixturesDir, path))
    const job = await captureAndWait(app, document)
    t.equal(job.success, true, `${name}: captured (${JSON.stringify(job.errors)})`)
    const sent = eventsOf(document)
    const stored = (await allEvents(app)).slice(seen)
    seen += stored.length
    t.equal(stored.length, sent.length, `${name}: ${sent.length} events back`)
    const documentPrefixes = prefixes(document['@context'])
    sent.forEach((original, i) => {
      const back = stored[i]
      if (!back) return
      const { recordTime, eventID, ...rest } = back.event
      t.match(recordTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, `${name} #${i}: recordTime set`)
      const expected = { ...original }
      delete expected.recordTime
      if (original.eventID === undefined) t.type(eventID, 'string', `${name} #${i}: eventID assigned`)
      else t.equal(eventID, original.eventID, `${name} #${i}: eventID kept`)
      delete expected.eventID
      t.same(rest, expected, `${name} #${i}: event equal to what was sent`)
      for (const prefix of usedPrefixes(original)) {
        if (prefix in documentPrefixes) {
          t.equal(back.context[prefix], documentPrefixes[prefix], `${name} #${i}: @context gives ${prefix}`)
        }
      }
    })
  }
})
