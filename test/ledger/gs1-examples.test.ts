import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import { checkProofDocument } from '../../src/ledger/check-proof.js'
import { fixturesDir, readFixture } from '../helper.js'
import { capture, get, ledgerApp, verify } from './helpers.js'

const examplesDir = join(fixturesDir, 'gs1', 'epcis-examples')

function listDocuments(dir: string, extension: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? listDocuments(path, extension) : name.endsWith(extension) ? [path] : []
    })
    .sort()
}

const XML_DOCUMENTS = [
  'Example_9.6.1-ObjectEvent-2020_06_18a.xml',
  'Example-TransactionEvent-2020_07_03y.xml',
  'Example-PersistentDisposition.xml',
  'WithSensorData/SensorDataExamples.xml',
  'WithExtension/ObjectEvent.xml',
  'WithFullCombinationOfFields/object_event_all_possible_fields.xml',
  'WithFullCombinationOfFields/transformation_event_all_possible_fields.xml',
  'WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.xml',
]

t.test('every GS1 example, JSON-LD and XML: the ledger verifies and every event has a proof that checks offline', async (t) => {
  const { app } = await ledgerApp(t)
  const documents = listDocuments(join(examplesDir, 'json'), '.jsonld')
  let stored = 0
  for (const path of documents) {
    const job = await capture(app, JSON.parse(readFixture(relative(fixturesDir, path))))
    t.equal(job.success, true, `${relative(examplesDir, path)} captured`)
    stored += job.storedCount
  }
  for (const name of XML_DOCUMENTS) {
    const job = await capture(app, readFixture(join('gs1', 'epcis-examples', 'xml', name)))
    t.equal(job.success, true, `${name} captured (${JSON.stringify(job.errors)})`)
    stored += job.storedCount
  }
  t.ok(stored > 50, `${stored} events stored`)

  const report = await verify(app)
  t.same(report.firstBroken, null, 'nothing broken')
  t.match(report, { valid: true, events: stored })

  const eventIds = new Set<string>()
  for (let page = await get(app, '/events?perPage=500'); ; ) {
    for (const event of page.json().epcisBody.queryResults.resultsBody.eventList) eventIds.add(event.eventID)
    const next = /<([^>]+)>; rel="next"/.exec((page.headers.link as string | undefined) ?? '')
    if (!next) break
    page = await get(app, next[1]!.replace(/^https?:\/\/[^/]+/, ''))
  }
  t.ok(eventIds.size > 40, `${eventIds.size} eventIDs`)
  let failures = 0
  for (const eventId of eventIds) {
    const url = `/events/${encodeURIComponent(eventId)}`
    const proof = (await get(app, `${url}/proof`)).json()
    const check = await checkProofDocument(proof, (await get(app, url)).json())
    if (!check.ok) {
      failures += 1
      t.fail(`${eventId}: ${check.messages.join('; ')}`)
    }
  }
  t.equal(failures, 0, 'every proof checks with its event (Digital Link output, recordTime added)')
})
