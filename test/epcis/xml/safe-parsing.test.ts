import t from 'tap'
import type { Test } from 'tap'
import { Readable } from 'node:stream'
import { XmlInputError, validateXml, xmlToEpcisDocument } from '../../../src/epcis/xml/index.js'

const EVENT = `<ObjectEvent><eventTime>2020-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
  <epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>OBSERVE</action></ObjectEvent>`

function document(body = EVENT, prolog = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${prolog}
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2020-01-01T00:00:00Z">
  <EPCISBody><EventList>${body}</EventList></EPCISBody>
</epcis:EPCISDocument>`
}

async function expectRefusal(t: Test, xml: Parameters<typeof xmlToEpcisDocument>[0], kind: XmlInputError['kind'], pattern: RegExp): Promise<void> {
  const error = await refusalOf(xml)
  t.equal(error.kind, kind)
  t.match(error.message, pattern)
}

/** The XmlInputError the conversion fails with (fails the test when there is none). */
async function refusalOf(xml: Parameters<typeof xmlToEpcisDocument>[0], limits = {}): Promise<XmlInputError> {
  const error = await xmlToEpcisDocument(xml, limits).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof XmlInputError)) throw new Error(`expected an XmlInputError, got ${String(error)}`)
  return error
}

t.test('a bare DOCTYPE without internal subset is ignored', async (t) => {
  const converted = await xmlToEpcisDocument(document(EVENT, '\n<!DOCTYPE project>'))
  t.equal((converted.epcisBody as { eventList: unknown[] }).eventList.length, 1)
})

t.test('XXE: an external entity in an internal subset is refused before any resolution', async (t) => {
  const xml = document('<ObjectEvent><eventTime>&xxe;</eventTime></ObjectEvent>', '\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>')
  await expectRefusal(t, xml, 'forbidden', /internal subset/)
})

t.test('billion laughs is refused at the DTD', async (t) => {
  const entities = ['<!ENTITY lol "lol">']
  for (let level = 1; level <= 9; level += 1) entities.push(`<!ENTITY lol${level} "${`&lol${level === 1 ? '' : level - 1};`.repeat(10)}">`)
  const xml = document('<ObjectEvent><eventTime>&lol9;</eventTime></ObjectEvent>', `\n<!DOCTYPE lolz [ ${entities.join(' ')} ]>`)
  const started = Date.now()
  await expectRefusal(t, xml, 'forbidden', /internal subset/)
  t.ok(Date.now() - started < 10_000, `refused in ${Date.now() - started} ms, before any expansion`)
})

t.test('an external DTD is refused', async (t) => {
  await expectRefusal(t, document(EVENT, '\n<!DOCTYPE epcis SYSTEM "http://attacker.example/evil.dtd">'), 'forbidden', /external DTD/)
  await expectRefusal(t, document(EVENT, '\n<!DOCTYPE epcis PUBLIC "-//x//y" "evil.dtd">'), 'forbidden', /external DTD/)
})

t.test('an entity other than the predefined five is refused', async (t) => {
  await expectRefusal(t, document(EVENT.replace('OBSERVE', 'OBSERVE&nbsp;')), 'forbidden', /entity reference other than the five predefined/)
})

t.test('predefined entities and character references are decoded', async (t) => {
  const xml = document(EVENT.replace('urn:epc:id:sgtin:0614141.107346.2017', 'urn:x:a&amp;b&lt;&#x41;&#66;'))
  const converted = await xmlToEpcisDocument(xml)
  const [event] = (converted.epcisBody as { eventList: { epcList: string[] }[] }).eventList
  t.same(event?.epcList, ['urn:x:a&b<AB'])
})

t.test('100k-deep nesting fails fast without overflowing the stack', async (t) => {
  const depth = 100_000
  const xml = document(`<x:a xmlns:x="urn:x">${'<x:a>'.repeat(depth)}${'</x:a>'.repeat(depth)}</x:a>`)
  const started = Date.now()
  await expectRefusal(t, xml, 'depth', /deeper than 64 levels/)
  t.ok(Date.now() - started < 10_000, `refused in ${Date.now() - started} ms`)
  const validation = validateXml(xml)
  await t.rejects(validation, /deeper than 64 levels/)
})

t.test('the depth limit can be set by the caller', async (t) => {
  const error = await refusalOf(document(), { maxDepth: 4 })
  t.match(error.message, /deeper than 4 levels/)
})

t.test('the size limit is enforced on strings, buffers and streams, streams without reading on', async (t) => {
  const xml = document()
  for (const input of [xml, Buffer.from(xml)]) {
    const error = await refusalOf(input, { maxBytes: 100 })
    t.equal(error.kind, 'limit')
    t.match(error.message, /size limit of 100 bytes/)
  }
  let pulled = 0
  const endless = Readable.from(
    (function* () {
      yield Buffer.from(document().slice(0, document().indexOf('<EventList>')))
      for (;;) {
        pulled += 1
        yield Buffer.from('<!-- padding -->'.repeat(1000))
      }
    })(),
  )
  const error = await refusalOf(endless, { maxBytes: 1_000_000 })
  t.equal(error.kind, 'limit')
  t.ok(pulled < 100, `stopped after ${pulled} chunks`)
})

t.test('malformed XML is an XmlInputError with the line', async (t) => {
  const error = await refusalOf(document('<ObjectEvent>\n<eventTime>x</eventTime>\n<action a=1>ADD</action></ObjectEvent>'))
  t.equal(error.kind, 'malformed')
  t.equal(error.line, 5)
})

t.test('unbound prefixes and a missing root are refused', async (t) => {
  await expectRefusal(t, document('<x:a/>'), 'malformed', /unbound namespace prefix/)
  await expectRefusal(t, '', 'malformed', /root element/)
  await expectRefusal(t, '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2020-01-01T00:00:00Z">', 'malformed', /unclosed tag/)
})

t.test('encodings: UTF-8 BOM, UTF-16 and a declared ISO-8859-1 are decoded; undecodable bytes are refused', async (t) => {
  const xml = document(EVENT.replace('urn:epc:id:sgtin:0614141.107346.2017', 'urn:x:café'))
  const expected = ['urn:x:café']
  const epcs = async (input: Buffer) => {
    const converted = await xmlToEpcisDocument(input)
    return (converted.epcisBody as { eventList: { epcList: string[] }[] }).eventList[0]?.epcList
  }
  t.same(await epcs(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])), expected)
  t.same(await epcs(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('UTF-8', 'UTF-16'), 'utf16le')])), expected)
  t.same(await epcs(Buffer.from(xml.replace('UTF-8', 'ISO-8859-1'), 'latin1')), expected)
  await expectRefusal(t, Buffer.concat([Buffer.from(xml.slice(0, 300)), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from(xml.slice(300))]), 'malformed', /not valid utf-8/)
  await expectRefusal(t, Buffer.from(xml.replace('UTF-8', 'x-no-such-encoding')), 'malformed', /Unsupported character encoding/)
})
