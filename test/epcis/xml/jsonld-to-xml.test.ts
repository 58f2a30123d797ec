import t from 'tap'
import {
  renderEpcisDocumentXml,
  renderProblemXml,
  renderQueryDocumentXml,
  validateXml,
  validateXmlDocuments,
  xmlToEpcisDocument,
} from '../../../src/epcis/xml/index.js'
import type { JsonObject } from '../../../src/epcis/xml/index.js'
import { JSON_EXAMPLES, jsonSchemaErrors, readJson } from './examples.js'

const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'
const CREATED = '2024-01-01T00:00:00Z'

function eventsOf(document: Record<string, unknown>): JsonObject[] {
  const body = document.epcisBody as JsonObject
  if (document.type === 'EPCISQueryDocument') return ((body.queryResults as JsonObject).resultsBody as JsonObject).eventList as JsonObject[]
  return body.eventList as JsonObject[]
}

function contextOf(document: Record<string, unknown>): unknown[] {
  const context = document['@context']
  return Array.isArray(context) ? context : [context]
}

const baseEvent = {
  type: 'ObjectEvent',
  eventTime: '2020-01-01T10:00:00+01:00',
  eventTimeZoneOffset: '+01:00',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
  action: 'OBSERVE',
}

t.test('the events of every GS1 JSON example render as a query document that validates against the XSD', async (t) => {
  t.equal(JSON_EXAMPLES.length, 47)
  const rendered = JSON_EXAMPLES.map((example) => {
    const document = readJson(example.path)
    return renderQueryDocumentXml(eventsOf(document), { context: contextOf(document), creationDate: CREATED })
  })
  const results = await validateXmlDocuments(rendered)
  for (const [index, example] of JSON_EXAMPLES.entries()) {
    t.same(results[index], { valid: true, errors: [], checkedWith: 'EPCglobal-epcis-query-2_0.xsd' }, example.name)
  }
})

t.test('every GS1 JSON example renders as a capture document that validates against the XSD', async (t) => {
  const results = await validateXmlDocuments(JSON_EXAMPLES.map((example) => renderEpcisDocumentXml(readJson(example.path))))
  for (const [index, example] of JSON_EXAMPLES.entries()) {
    const expected = example.name === 'EPCISQueryDocument.jsonld' ? 'EPCglobal-epcis-query-2_0.xsd' : 'EPCglobal-epcis-2_0.xsd'
    t.same(results[index], { valid: true, errors: [], checkedWith: expected }, example.name)
  }
})

t.test('query document shape: queryName, subscriptionID, namespaces declared once on the root', async (t) => {
  const xml = renderQueryDocumentXml([{ ...baseEvent, 'ex:a': { 'ex:b': '1' } }, { ...baseEvent, 'ex:c': 'x' }], {
    context: [GS1_CONTEXT, { ex: 'https://example.com/ex/' }],
    queryName: 'MyQuery',
    subscriptionID: 'sub-1',
    creationDate: CREATED,
  })
  t.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2" /)
  t.equal(xml.match(/xmlns:ex="https:\/\/example.com\/ex\/"/g)?.length, 1)
  t.match(xml, /schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">/)
  t.match(xml, /<queryName>MyQuery<\/queryName>\s*<subscriptionID>sub-1<\/subscriptionID>/)
  t.match(xml, /<ex:a>\s*<ex:b>1<\/ex:b>\s*<\/ex:a>/)
  t.equal((await validateXml(xml)).valid, true)
  const empty = renderQueryDocumentXml([], { context: undefined, creationDate: CREATED })
  t.match(empty, /<queryName>SimpleEventQuery<\/queryName>\s*<resultsBody>\s*<EventList\/>/)
  t.equal((await validateXml(empty)).valid, true)
  t.match(renderQueryDocumentXml([], { context: undefined }), /creationDate="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"/)
})

t.test('CBV values: URN by default, Web URI on request, stored URIs kept for Never_Translates / No_Preference', async (t) => {
  const event = {
    ...baseEvent,
    bizStep: 'shipping',
    disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:x:1' }, { type: 'https://example.com/btt', bizTransaction: 'urn:x:2' }],
    sourceList: [{ type: 'owning_party', source: 'urn:x:s' }],
    sensorElementList: [{ sensorReport: [{ type: 'Temperature', exception: 'ALARM_CONDITION', component: 'x', value: 1 }] }],
    errorDeclaration: { declarationTime: '2020-01-02T00:00:00Z', reason: 'incorrect_data' },
  }
  const render = (cbvFormat?: 'Always_URN' | 'Always_Web_URI' | 'Never_Translates' | 'No_Preference') =>
    renderQueryDocumentXml([event], { context: undefined, creationDate: CREATED, ...(cbvFormat ? { cbvFormat } : {}) })
  const urn = render()
  t.match(urn, '<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>')
  t.match(urn, '<disposition>urn:epcglobal:cbv:disp:in_transit</disposition>')
  t.match(urn, '<bizTransaction type="urn:epcglobal:cbv:btt:po">urn:x:1</bizTransaction>')
  t.match(urn, '<bizTransaction type="https://example.com/btt">urn:x:2</bizTransaction>')
  t.match(urn, '<source type="urn:epcglobal:cbv:sdt:owning_party">urn:x:s</source>')
  t.match(urn, '<reason>urn:epcglobal:cbv:er:incorrect_data</reason>')
  t.match(urn, 'type="gs1:Temperature" exception="gs1:ALARM_CONDITION" component="cbv:Comp-x" value="1"')
  t.equal(render('Always_URN'), urn)
  const web = render('Always_Web_URI')
  t.match(web, '<bizStep>https://ref.gs1.org/cbv/BizStep-shipping</bizStep>')
  t.match(web, '<disposition>https://ref.gs1.org/cbv/Disp-in_transit</disposition>')
  t.match(web, 'type="https://gs1.org/voc/Temperature"')
  for (const format of ['Never_Translates', 'No_Preference'] as const) {
    const kept = render(format)
    t.match(kept, '<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>', `${format}: a bare word still needs a URI`)
    t.match(kept, '<disposition>https://ref.gs1.org/cbv/Disp-in_transit</disposition>', `${format}: a stored URI is kept`)
  }
  t.same((await validateXmlDocuments([urn, web])).map((result) => result.valid), [true, true])
})

t.test('everything is escaped; characters XML cannot carry are replaced', async (t) => {
  const nasty = `a<b>&c"d'e]]>f\u0001g\r\n\ttab \uD800`
  const event = {
    ...baseEvent,
    epcList: [nasty],
    bizTransactionList: [{ type: nasty, bizTransaction: nasty }],
    sensorElementList: [{ sensorReport: [{ type: 'Temperature', stringValue: nasty }] }],
    'ex:text': nasty,
  }
  const xml = renderQueryDocumentXml([event], { context: [{ ex: 'https://example.com/"><evil/>' }], creationDate: CREATED })
  t.notMatch(xml, '<evil/>')
  // Well-formed (it parses back); not XSD-valid, as such strings are not valid anyURI values anyway.
  const [back] = eventsOf(await xmlToEpcisDocument(xml))
  const expected = `a<b>&c"d'e]]>f\uFFFDg\r\n\ttab \uFFFD`
  t.same(back?.epcList, [expected])
  t.same(back?.bizTransactionList, [{ type: expected, bizTransaction: expected }])
  t.equal((back?.sensorElementList as { sensorReport: JsonObject[] }[])[0]?.sensorReport[0]?.stringValue, expected.replace(/\r\n\t/, '\r\n\t'))
  t.equal(back?.['ex:text'], expected)
})

t.test('extension keys: context prefixes, GS1 prefixes, full IRIs, undefined prefixes, unrepresentable keys', async (t) => {
  const event = {
    ...baseEvent,
    'ex:a': '1',
    'cbvmda:lotNumber': 'L1',
    'https://example.com/full/path#frag': 'iri',
    'undeclared:thing': 'u',
    'ex:not a name': 'dropped',
    notPrefixed: 'dropped',
    '@context': { ev: 'urn:event-level:' },
    'ev:local': 'event context',
  }
  const xml = renderQueryDocumentXml([event], { context: [GS1_CONTEXT, { ex: 'https://example.com/ex/' }], creationDate: CREATED })
  t.match(xml, 'xmlns:ex="https://example.com/ex/"')
  t.match(xml, 'xmlns:cbvmda="urn:epcglobal:cbv:mda"')
  t.match(xml, '<ns1:frag>iri</ns1:frag>')
  t.match(xml, 'xmlns:ns1="https://example.com/full/path#"')
  t.match(xml, 'xmlns:undeclared="undeclared:"')
  t.match(xml, '<ev:local>event context</ev:local>')
  t.notMatch(xml, 'dropped')
  t.equal((await validateXml(xml)).valid, true)
  const [back] = eventsOf(await xmlToEpcisDocument(xml))
  t.equal(back?.['cbvmda:lotNumber'], 'L1')
  t.equal(back?.['ex:a'], '1')
})

t.test('a prefix that clashes with a reserved XML prefix gets another one', async (t) => {
  const xml = renderQueryDocumentXml([{ ...baseEvent, 'epcisq:x': '1', 'xsi:y': '2' }], {
    context: [{ epcisq: 'urn:not-query:', xsi: 'urn:not-xsi:' }],
    creationDate: CREATED,
  })
  t.match(xml, 'xmlns:epcisq_1="urn:not-query:"')
  t.match(xml, 'xmlns:xsi_1="urn:not-xsi:"')
  t.equal((await validateXml(xml)).valid, true)
})

t.test('quantities: decimals without exponents, uom without quantity written with a nil quantity', async (t) => {
  const xml = renderQueryDocumentXml(
    [
      {
        ...baseEvent,
        quantityList: [
          { epcClass: 'urn:x:1', quantity: 1e21, uom: 'KGM' },
          { epcClass: 'urn:x:2', quantity: 1.5e-7 },
          { epcClass: 'urn:x:3', uom: 'KGM' },
          { epcClass: 'urn:x:4' },
        ],
      },
    ],
    { context: undefined, creationDate: CREATED },
  )
  t.match(xml, '<quantity>1000000000000000000000</quantity>')
  t.match(xml, '<quantity>0.00000015</quantity>')
  t.match(xml, /<epcClass>urn:x:3<\/epcClass>\s*<quantity xsi:nil="true"\/>\s*<uom>KGM<\/uom>/)
  t.equal((await validateXml(xml)).valid, true)
  const [back] = eventsOf(await xmlToEpcisDocument(xml))
  t.same(back?.quantityList, [
    { epcClass: 'urn:x:1', quantity: 1e21, uom: 'KGM' },
    { epcClass: 'urn:x:2', quantity: 1.5e-7 },
    { epcClass: 'urn:x:3', uom: 'KGM' },
    { epcClass: 'urn:x:4' },
  ])
})

t.test('a non-EPCIS event type goes in an EventList extension', async (t) => {
  const xml = renderQueryDocumentXml([{ type: 'ex:MyEvent', eventTime: '2020-01-01T00:00:00Z', eventTimeZoneOffset: '+00:00', custom: 'c', 'ex:x': 'y' }], {
    context: [{ ex: 'https://example.com/ex/' }],
    creationDate: CREATED,
  })
  t.match(xml, /<extension>\s*<ex:MyEvent>\s*<eventTime>2020-01-01T00:00:00Z<\/eventTime>/)
  t.equal((await validateXml(xml)).valid, true)
})

t.test('capture documents: header master data, SBDH from sender/receiver/instanceIdentifier, extensions', async (t) => {
  const document = {
    '@context': [GS1_CONTEXT, { ex: 'https://example.com/ex/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: CREATED,
    sender: 'urn:epc:id:sgln:0614141.00001.0',
    receiver: 'urn:epc:id:sgln:0614142.00001.0',
    instanceIdentifier: 'doc-1',
    epcisHeader: {
      epcisMasterData: {
        vocabularyList: [
          {
            type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
            vocabularyElementList: [
              {
                id: 'urn:epc:id:sgln:0614141.00888.0',
                attributes: [
                  { id: 'urn:epcglobal:cbv:mda:site', attribute: '0614141008880' },
                  { id: 'urn:x:n', attribute: 12 },
                  { id: 'https://example.com/ex/address', attribute: { 'ex:street': 'Main', city: 'X' } },
                ],
                children: ['urn:epc:id:sgln:0614141.00888.1'],
              },
            ],
          },
        ],
      },
    },
    epcisBody: { eventList: [baseEvent], 'ex:bodyNote': 'b' },
    'ex:documentNote': 'd',
  }
  const xml = renderEpcisDocumentXml(document)
  t.same(await validateXml(xml), { valid: true, errors: [], checkedWith: 'EPCglobal-epcis-2_0.xsd' })
  t.match(xml, /<sbdh:StandardBusinessDocumentHeader>\s*<sbdh:HeaderVersion>1.0<\/sbdh:HeaderVersion>/)
  const back = await xmlToEpcisDocument(xml)
  t.equal(back.sender, document.sender)
  t.equal(back.receiver, document.receiver)
  t.equal(back.instanceIdentifier, 'doc-1')
  t.same(((back.epcisHeader as JsonObject).epcisMasterData as JsonObject).vocabularyList, [
    {
      type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
      vocabularyElementList: [
        {
          id: 'urn:epc:id:sgln:0614141.00888.0',
          attributes: [
            { id: 'urn:epcglobal:cbv:mda:site', attribute: '0614141008880' },
            { id: 'urn:x:n', attribute: '12' },
            { id: 'https://example.com/ex/address', attribute: { 'ex:street': 'Main', city: 'X' } },
          ],
          children: ['urn:epc:id:sgln:0614141.00888.1'],
        },
      ],
    },
  ])
  t.equal((back.epcisBody as JsonObject)['ex:bodyNote'], 'b')
  t.equal(back['ex:documentNote'], 'd')
  t.same(jsonSchemaErrors(back), [])
})

t.test('problem+xml follows RFC 7807 appendix A', async (t) => {
  const xml = renderProblemXml({
    type: 'epcisException:ValidationException',
    title: 'Invalid <XML> & more',
    status: 400,
    detail: 'The document nests elements deeper than 64 levels (line 3)',
    instance: 'urn:uuid:1',
    errors: [{ line: 3, message: 'too deep' }],
  })
  t.equal(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>
<problem xmlns="urn:ietf:rfc:7807">
  <type>epcisException:ValidationException</type>
  <title>Invalid &lt;XML&gt; &amp; more</title>
  <status>400</status>
  <detail>The document nests elements deeper than 64 levels (line 3)</detail>
  <instance>urn:uuid:1</instance>
  <errors>
    <i>
      <line>3</line>
      <message>too deep</message>
    </i>
  </errors>
</problem>
`,
  )
  t.equal(renderProblemXml({ type: 'about:blank', title: 'Not Found', status: 404 }).includes('<detail>'), false)
})
