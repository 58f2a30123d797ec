import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { runXmllint } from '../../../src/epcis/xml/xmllint-worker.js'

const folder = new URL('../../../schemas/gs1/xsd/', import.meta.url)
const main = 'EPCglobal-epcis-2_0.xsd'
// The main schema first, then the ones it imports (xmllint reads them from its in-memory file system).
const schemas = [main, ...readdirSync(folder).filter((name) => name.endsWith('.xsd') && name !== main)].map((name) => ({
  fileName: name,
  contents: readFileSync(new URL(name, folder), 'utf8'),
}))

const document = (events: string) =>
  `<?xml version="1.0"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-05-01T00:00:00Z"><EPCISBody><EventList>${events}</EventList></EPCISBody></epcis:EPCISDocument>\n`
const event = (action: string) =>
  `<ObjectEvent><eventTime>2024-05-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList/><action>${action}</action></ObjectEvent>`

const check = (contents: string | Uint8Array) =>
  runXmllint({
    inputFiles: [{ fileName: 'document-0.xml', contents }, ...schemas],
    args: ['--schema', main, '--noout', '--stream', 'document-0.xml'],
    initialMemory: 256,
    maxMemory: 1024,
  })

t.test('each run in the shared worker starts afresh, whatever the run before it ended with', async (t) => {
  const valid = await check(document(event('OBSERVE')))
  t.equal(valid.exitCode, 0)
  const invalid = await check(document(event('LOOK')))
  t.equal(invalid.exitCode, 3, 'a document the XSD refuses')
  t.match(invalid.stderr, /'LOOK' is not an element of the set/)
  const broken = await check('<epcis:EPCISDocument')
  t.not(broken.exitCode, 0, 'a document xmllint cannot parse')
  t.match(broken.stderr, /failed to parse/)
  // Runs queue one after another; none sees what another left behind.
  const outcomes = await Promise.all([check(document(event('ADD'))), check(document(event('NOPE'))), check(Buffer.from(document(event('DELETE'))))])
  t.same(outcomes.map((outcome) => outcome.exitCode), [0, 3, 0])
})

t.test('bytes are handed over to the worker, not copied', async (t) => {
  const bytes = new Uint8Array(Buffer.from(document(event('OBSERVE'))))
  const outcome = check(bytes)
  t.equal(bytes.byteLength, 0, 'the caller no longer holds them')
  t.equal((await outcome).exitCode, 0)
})
