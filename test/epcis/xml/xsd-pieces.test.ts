import t from 'tap'
import { XmlInputError, validateXml } from '../../../src/epcis/xml/index.js'
import { GuardedSaxParser } from '../../../src/epcis/xml/guarded-sax.js'
import { XsdPieces, type XsdPiece } from '../../../src/epcis/xml/xsd-pieces.js'

const WHOLE = Number.MAX_SAFE_INTEGER
const PIECE = 3000

function event(index: number): string {
  return `  <ObjectEvent>
    <eventTime>2024-05-01T08:15:00.000+07:00</eventTime>
    <eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
    <epcList><epc>urn:epc:id:sgtin:8934567.012345.${100000 + index}</epc></epcList>
    <action>OBSERVE</action>
    <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
    <vn:lo>Lô ${index}</vn:lo>
  </ObjectEvent>
`
}

/** An EPCISDocument with a header, `count` events and an extension element after the EventList. */
function document(count: number, creationDate = '2024-05-01T00:00:00Z'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:vn="https://nguon.example.vn/epcis/"
    schemaVersion="2.0" creationDate="${creationDate}">
  <EPCISHeader>
    <sbdh:StandardBusinessDocumentHeader xmlns:sbdh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">
      <sbdh:HeaderVersion>1.0</sbdh:HeaderVersion>
      <sbdh:Sender><sbdh:Identifier Authority="SGLN">urn:epc:id:sgln:8934567.00001.0</sbdh:Identifier></sbdh:Sender>
      <sbdh:Receiver><sbdh:Identifier Authority="SGLN">urn:epc:id:sgln:8934568.00002.0</sbdh:Identifier></sbdh:Receiver>
      <sbdh:DocumentIdentification>
        <sbdh:Standard>EPCglobal</sbdh:Standard><sbdh:TypeVersion>2.0</sbdh:TypeVersion>
        <sbdh:InstanceIdentifier>1</sbdh:InstanceIdentifier><sbdh:Type>Events</sbdh:Type>
        <sbdh:CreationDateAndTime>2024-05-01T00:00:00Z</sbdh:CreationDateAndTime>
      </sbdh:DocumentIdentification>
    </sbdh:StandardBusinessDocumentHeader>
  </EPCISHeader>
  <EPCISBody>
    <EventList>
${Array.from({ length: count }, (_, index) => event(index)).join('')}    </EventList>
    <vn:note>after the events</vn:note>
  </EPCISBody>
</epcis:EPCISDocument>
`
}

function cut(xml: string, pieceChars: number): XsdPiece[] {
  let parser: GuardedSaxParser | undefined = undefined
  const pieces = new XsdPieces(() => ({ offset: parser!.position, line: parser!.line }), pieceChars)
  parser = new GuardedSaxParser(pieces, 64)
  const found: XsdPiece[] = []
  for (let start = 0; start < xml.length; start += 1000) {
    const chunk = xml.slice(start, start + 1000)
    pieces.append(chunk)
    parser.write(chunk)
    found.push(...pieces.take())
  }
  parser.close()
  return [...found, ...pieces.finish()]
}

const lineOf = (xml: string, needle: string) => xml.slice(0, xml.indexOf(needle)).split('\n').length

t.test('a large document is cut at event boundaries into documents of their own', async (t) => {
  const xml = document(60)
  const pieces = cut(xml, PIECE)
  t.ok(pieces.length >= 5, `${pieces.length} pieces`)
  const texts = pieces.map((piece) => piece.parts.join(''))
  const head = xml.slice(0, xml.indexOf('<EventList>') + '<EventList>'.length)
  for (const text of texts) t.ok(text.startsWith(head), 'each piece starts with the document up to <EventList>')
  for (const text of texts.slice(0, -1)) t.ok(text.endsWith('</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>'))
  t.ok(texts.at(-1)!.endsWith(xml.slice(xml.indexOf('</ObjectEvent>\n    </EventList>') + '</ObjectEvent>'.length)), 'the last piece ends as the document does')
  const events = texts.map((text, index) => text.slice(head.length, index < texts.length - 1 ? text.lastIndexOf('</EventList>') : undefined)).join('')
  t.equal(head + events, xml, 'together the pieces hold the document exactly once')
  const [piece] = cut(document(2), PIECE)
  t.equal(cut(document(2), PIECE).length, 1, 'a small document stays whole')
  t.equal(piece!.parts.join(''), document(2))
  t.equal(piece!.documentLine(17), 17)
})

t.test('a document checked in pieces gives the result of the whole document, lines included', async (t) => {
  const valid = document(60)
  t.same(await validateXml(valid, {}, PIECE), { valid: true, errors: [], checkedWith: 'EPCglobal-epcis-2_0.xsd' })

  const invalid = valid.replace('<action>OBSERVE</action>\n    <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>\n    <vn:lo>Lô 47<', '<action>LOOK</action>\n    <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>\n    <vn:lo>Lô 47<')
  t.not(invalid, valid)
  const inPieces = await validateXml(invalid, {}, PIECE)
  const whole = await validateXml(invalid, {}, WHOLE)
  t.equal(inPieces.valid, false)
  t.same(inPieces, whole, 'the same errors as the whole document')
  t.match(inPieces.errors, [{ line: lineOf(invalid, '<action>LOOK</action>'), message: /'LOOK' is not an element of the set/ }])

  const badHeader = document(60, 'yesterday')
  const headerInPieces = await validateXml(badHeader, {}, PIECE)
  t.equal(headerInPieces.valid, false)
  t.same(headerInPieces, await validateXml(badHeader, {}, WHOLE), 'an error before the events, in every piece, is reported once')
  t.equal(headerInPieces.errors.length, 1)
})

t.test('unsafe or malformed input is still refused before any piece is reported', async (t) => {
  const withEntity = document(60).replace('<vn:lo>Lô 30</vn:lo>', '<vn:lo>&x;</vn:lo>')
  const refusal = await validateXml(withEntity, {}, PIECE).then(() => undefined, (error: unknown) => error)
  t.ok(refusal instanceof XmlInputError && refusal.kind === 'forbidden', 'an entity reference in a later piece is refused')
  const broken = document(60).replace('<vn:lo>Lô 50</vn:lo>', '<vn:lo>Lô 50</vn:la>')
  const result = await validateXml(broken, {}, PIECE)
  t.same(result, { valid: false, errors: [{ line: lineOf(broken, '</vn:la>'), message: result.errors[0]?.message }], checkedWith: 'XML well-formedness' })
  t.match(result.errors[0]?.message, /not well-formed/)
})
