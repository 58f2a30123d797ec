import t from 'tap'
import { Readable } from 'node:stream'
import { streamXmlEvents } from '../../../src/epcis/xml/index.js'

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="https://example.com/ex/" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
<EPCISBody><EventList>
`
const TAIL = '</EventList></EPCISBody></epcis:EPCISDocument>\n'

function event(index: number): string {
  return `<ObjectEvent><eventTime>2024-01-01T00:00:00.000Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
<epcList><epc>urn:epc:id:sgtin:0614141.107346.${index}</epc><epc>urn:epc:id:sgtin:0614141.107346.${index + 1}</epc></epcList>
<action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep><disposition>urn:epcglobal:cbv:disp:in_transit</disposition>
<readPoint><id>urn:epc:id:sgln:0614141.07346.1234</id></readPoint>
<bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">http://transaction.acme.com/po/${index}</bizTransaction></bizTransactionList>
<ex:note><ex:line>${'x'.repeat(600)}</ex:line></ex:note></ObjectEvent>
`
}

t.test('a 50 MB document streams through in bounded memory, one event at a time', async (t) => {
  const target = 50 * 1024 * 1024
  let produced = 0
  let count = 0
  const source = Readable.from(
    (function* () {
      yield Buffer.from(HEAD)
      while (produced < target) {
        let chunk = ''
        for (let batch = 0; batch < 50; batch += 1) chunk += event(count++)
        produced += chunk.length
        yield Buffer.from(chunk)
      }
      yield Buffer.from(TAIL)
    })(),
  )
  globalThis.gc?.()
  const baseline = process.memoryUsage().heapUsed
  let peak = baseline
  let received = 0
  const started = performance.now()
  for await (const item of streamXmlEvents(source, { maxBytes: 64 * 1024 * 1024 })) {
    if (item.kind !== 'event') continue
    received += 1
    if (received % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed)
    if (received === 1) t.same(item.event.bizTransactionList, [{ type: 'po', bizTransaction: 'http://transaction.acme.com/po/0' }])
  }
  const seconds = (performance.now() - started) / 1000
  t.equal(received, count)
  t.ok(produced >= target)
  const growth = (peak - baseline) / 1024 / 1024
  t.comment(`${(produced / 1024 / 1024).toFixed(0)} MB, ${received} events in ${seconds.toFixed(1)} s; heap grew by at most ${growth.toFixed(0)} MB`)
  t.ok(growth < 200, 'the heap never holds the whole document')
})
