import t from 'tap'
import { readFileSync } from 'node:fs'
import { EPCIS_1_STRUCTURAL_CHECK, XmlInputError, validateXml, validateXmlDocuments } from '../../../src/epcis/xml/index.js'
import { XML_EXAMPLES } from './examples.js'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))

function expectedSchema(name: string, xml: string): string {
  if (xml.includes('EPCISMasterDataDocument')) return 'EPCglobal-epcis-masterdata-2_0.xsd'
  return name.includes('EPCISQueryDocument') ? 'EPCglobal-epcis-query-2_0.xsd' : 'EPCglobal-epcis-2_0.xsd'
}

t.test('every GS1 XML example validates against the XSD for its root element', async (t) => {
  const texts = XML_EXAMPLES.map((example) => readFileSync(example.path, 'utf8'))
  const results = await validateXmlDocuments(texts)
  for (const [index, example] of XML_EXAMPLES.entries()) {
    t.same(results[index], { valid: true, errors: [], checkedWith: expectedSchema(example.name, texts[index] as string) }, example.name)
  }
  const one = XML_EXAMPLES[0] as { path: string }
  t.same(await validateXml(readFileSync(one.path)), results[0], 'validateXml gives the same result for one document')
})

t.test('a batch reports each document on its own', async (t) => {
  const good = readFileSync(XML_EXAMPLES.find((example) => example.name.startsWith('Example_9.6.1'))!.path, 'utf8')
  const bad = good.replace('<action>OBSERVE</action>', '<action>LOOK</action>')
  const results = await validateXmlDocuments([good, bad, '<a>', good])
  t.same(results.map((result) => result.valid), [true, false, false, true])
  t.match(results[1]?.errors, [{ line: 17, message: /'LOOK' is not an element of the set/ }])
})

t.test('XSD errors are reported with their line', async (t) => {
  const xml = readFileSync(XML_EXAMPLES.find((example) => example.name.startsWith('Example_9.6.1'))!.path, 'utf8')
  const broken = xml.replace('<eventTimeZoneOffset>-06:00</eventTimeZoneOffset>', '').replace('<action>OBSERVE</action>', '<action>LOOK</action>')
  const result = await validateXml(Buffer.from(broken))
  t.equal(result.valid, false)
  t.equal(result.checkedWith, 'EPCglobal-epcis-2_0.xsd')
  t.match(result.errors, [{ line: 13, message: "Element 'epcList': This element is not expected. Expected is one of ( recordTime, eventTimeZoneOffset )." }])
  const wrongValue = await validateXml(xml.replace('<action>OBSERVE</action>', '<action>LOOK</action>'))
  t.match(wrongValue.errors, [{ line: 17, message: /'LOOK' is not an element of the set/ }])
})

t.test('a root element that is not an EPCIS 2.0 document is reported', async (t) => {
  const result = await validateXml('<?xml version="1.0"?>\n<foo xmlns="urn:foo"/>')
  t.same(result, {
    valid: false,
    errors: [{ line: 2, message: 'The root element <foo> in namespace urn:foo is not an EPCIS 2.0 document' }],
    checkedWith: 'EPCIS root element',
  })
})

t.test('malformed XML is reported, unsafe XML is refused', async (t) => {
  const malformed = await validateXml('<a>\n<b></a>')
  t.equal(malformed.valid, false)
  t.equal(malformed.errors[0]?.line, 2)
  const refusal = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error)
  const forbidden = await refusal(validateXml('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'))
  t.ok(forbidden instanceof XmlInputError && forbidden.kind === 'forbidden')
  const tooLarge = await refusal(validateXml('<a/>', { maxBytes: 2 }))
  t.ok(tooLarge instanceof XmlInputError && tooLarge.kind === 'limit')
})

t.test('EPCIS 1.2 is checked with the converter structural rules (no 1.2 XSD is vendored)', async (t) => {
  t.same(await validateXml(fixture('epcis-1.2-document.xml')), { valid: true, errors: [], checkedWith: EPCIS_1_STRUCTURAL_CHECK })
  const broken = fixture('epcis-1.2-document.xml').toString('utf8').replace('<quantity>200.5</quantity>', '<quantity>200.5</quantity><weight>3</weight>')
  const result = await validateXml(broken)
  t.equal(result.valid, false)
  t.equal(result.checkedWith, EPCIS_1_STRUCTURAL_CHECK)
  t.same(result.errors, [{ line: 69, message: 'Unexpected element <weight> in <quantityElement>' }])
})

t.test('a document in another encoding is validated as what it says', async (t) => {
  const xml = readFileSync(XML_EXAMPLES.find((example) => example.name.startsWith('Example_9.6.1'))!.path, 'utf8')
    .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    .replace('Example of a vendor/user extension', 'Übung')
  const result = await validateXml(Buffer.from(xml, 'latin1'))
  t.equal(result.valid, true)
})

t.test('validating a few-MB document', async (t) => {
  const example = readFileSync(XML_EXAMPLES.find((candidate) => candidate.name.includes('object_event_all_possible_fields'))!.path, 'utf8')
  const start = example.indexOf('<ObjectEvent>')
  const end = example.indexOf('</ObjectEvent>') + '</ObjectEvent>'.length
  const xml = example.slice(0, start) + example.slice(start, end).repeat(1000) + example.slice(end)
  const started = performance.now()
  const result = await validateXml(xml)
  const elapsed = performance.now() - started
  t.equal(result.valid, true)
  t.comment(`XSD validation of a ${(Buffer.byteLength(xml) / 1e6).toFixed(1)} MB document (1000 events) took ${elapsed.toFixed(0)} ms`)
  t.ok(elapsed < 30_000)
})
