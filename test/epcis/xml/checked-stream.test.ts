import { Readable } from 'node:stream'
import t from 'tap'
import { CheckedXmlStream, XmlInputError, XmlSchemaError, type XmlStreamItem } from '../../../src/epcis/xml/index.js'

const PIECE = 3000

function event(index: number, eventTime = '2024-05-01T08:15:00.000+07:00'): string {
  return `  <ObjectEvent>
    <eventTime>${eventTime}</eventTime>
    <eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
    <epcList><epc>urn:epc:id:sgtin:8934567.012345.${100000 + index}</epc></epcList>
    <action>OBSERVE</action>
    <vn:lo>Lô ${index}</vn:lo>
  </ObjectEvent>
`
}

function document(events: string[], root = 'epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns:vn="https://nguon.example.vn/epcis/" schemaVersion="2.0" creationDate="2024-05-01T00:00:00Z">
  <EPCISBody>
    <EventList>
${events.join('')}    </EventList>
  </EPCISBody>
</${root.split(' ')[0]}>
`
}

const lineOf = (xml: string, text: string) => xml.slice(0, xml.indexOf(text)).split('\n').length

/** The request-like input: the text in small byte chunks, as a socket delivers it. */
function chunked(xml: string): Readable {
  const bytes = Buffer.from(xml)
  return Readable.from(Array.from({ length: Math.ceil(bytes.length / 700) }, (_, i) => bytes.subarray(i * 700, (i + 1) * 700)))
}

async function readAll(stream: CheckedXmlStream): Promise<XmlStreamItem[]> {
  const items: XmlStreamItem[] = []
  for await (const item of stream) items.push(item)
  return items
}

t.test('a valid document streams its events, checked in pieces, then the final document', async (t) => {
  const xml = document(Array.from({ length: 60 }, (_, i) => event(i)))
  t.ok(xml.length > PIECE * 5, 'several pieces')
  const items = await readAll(new CheckedXmlStream(chunked(xml), {}, PIECE))
  t.equal(items.filter((item) => item.kind === 'event').length, 60)
  t.same(items.map((item) => item.kind).at(-1), 'end')
  const last = items.at(-1)
  t.equal(last?.kind === 'end' && last.eventCount, 60)
})

t.test('an XSD error in a later piece refuses the document, at its line, before the final document', async (t) => {
  const events = Array.from({ length: 60 }, (_, i) => event(i, i === 45 ? 'yesterday' : undefined))
  const xml = document(events)
  const kinds: string[] = []
  let caught: unknown
  try {
    for await (const item of new CheckedXmlStream(chunked(xml), {}, PIECE)) kinds.push(item.kind)
  } catch (e) {
    caught = e
  }
  t.notOk(kinds.includes('end'), 'no final document for an invalid one')
  t.ok(caught instanceof XmlSchemaError)
  const schemaError = caught as XmlSchemaError
  t.equal(schemaError.checkedWith, 'EPCglobal-epcis-2_0.xsd')
  t.equal(schemaError.errors[0]?.line, lineOf(xml, '<eventTime>yesterday'))
  t.match(schemaError.errors[0]?.message, /yesterday/)
})

t.test('schemaErrorsSoFar: the XSD errors up to the last complete event, for a refusal found in the events', async (t) => {
  const events = Array.from({ length: 30 }, (_, i) => event(i, i === 20 ? 'yesterday' : undefined))
  const xml = document(events)
  const stream = new CheckedXmlStream(chunked(xml), {}, 1_000_000)
  let seen = 0
  for await (const item of stream) {
    if (item.kind !== 'event') continue
    seen += 1
    if (item.index === 20) break
  }
  t.equal(seen, 21, 'the events were read, one piece not yet checked')
  const found = await stream.schemaErrorsSoFar()
  t.ok(found instanceof XmlSchemaError)
  t.equal(found?.errors[0]?.line, lineOf(xml, '<eventTime>yesterday'))

  const valid = new CheckedXmlStream(chunked(document(Array.from({ length: 30 }, (_, i) => event(i)))), {}, 1_000_000)
  for await (const item of valid) if (item.kind === 'event' && item.index === 10) break
  t.equal(await valid.schemaErrorsSoFar(), undefined, 'nothing to report when the part read conforms')
})

t.test('EPCIS 1.2 has no vendored XSD: the converter alone checks it', async (t) => {
  const xml = document([event(0)], 'epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1"').replace('schemaVersion="2.0"', 'schemaVersion="1.2"')
  const items = await readAll(new CheckedXmlStream(chunked(xml), {}, PIECE))
  t.same(items.map((item) => item.kind), ['header', 'event', 'end'])
})

t.test('unsafe and oversized input is refused while it is read', async (t) => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
  await t.rejects(readAll(new CheckedXmlStream(chunked(xxe))), XmlInputError)
  const large = document(Array.from({ length: 100 }, (_, i) => event(i)))
  let read = 0
  const bytes = Buffer.from(large)
  const counting = (async function* () {
    for (let start = 0; start < bytes.length; start += 700) {
      read += Math.min(700, bytes.length - start)
      yield bytes.subarray(start, start + 700)
    }
  })()
  const error = await readAll(new CheckedXmlStream(counting, { maxBytes: 5000 })).catch((e: unknown) => e)
  t.ok(error instanceof XmlInputError && error.kind === 'limit')
  t.ok(read <= 5000 + 700, 'the rest of the input is not read')
})
