import t from 'tap'
import { readFileSync } from 'node:fs'
import { XmlInputError, streamXmlEvents, xmlToEpcisDocument } from '../../../src/epcis/xml/index.js'
import type { JsonObject, XmlStreamItem } from '../../../src/epcis/xml/index.js'
import { EPCIS_XML_EXAMPLES, XML_EXAMPLES, jsonSchemaErrors } from './examples.js'

const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))

function doc(events: string, namespaces = '', header = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" ${namespaces} schemaVersion="2.0" creationDate="2020-01-01T00:00:00Z">
${header}<EPCISBody><EventList>${events}</EventList></EPCISBody></epcis:EPCISDocument>`
}

function objectEvent(inner: string, attributes = ''): string {
  return `<ObjectEvent ${attributes}><eventTime>2020-01-01T10:00:00+01:00</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
<epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>OBSERVE</action>${inner}</ObjectEvent>`
}

async function events(xml: string | Buffer): Promise<JsonObject[]> {
  const converted = await xmlToEpcisDocument(xml)
  return (converted.epcisBody as { eventList: JsonObject[] }).eventList
}

async function firstEvent(xml: string): Promise<JsonObject> {
  const [event] = await events(xml)
  if (event === undefined) throw new Error('no event')
  return event
}

async function refusalOf(xml: string | Buffer): Promise<XmlInputError> {
  const error = await xmlToEpcisDocument(xml).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof XmlInputError)) throw new Error(`expected an XmlInputError, got ${String(error)}`)
  return error
}

// Where GS1's XSD and GS1's JSON Schema disagree, the converter keeps the data and the JSON Schema objects.
const JSON_SCHEMA_CONFLICTS: Record<string, string[]> = {
  // The XSD allows persistentDisposition on every event type; the JSON Schema only on ObjectEvent and TransformationEvent.
  'Example-PersistentDisposition.xml': [
    '/epcisBody/eventList/0 must be equal to one of the allowed values',
    '/epcisBody/eventList/0 must match format "uri"',
    '/epcisBody/eventList/0 must be equal to one of the allowed values',
    '/epcisBody/eventList/0 property name must be valid',
    '/epcisBody/eventList/1 must be equal to one of the allowed values',
    '/epcisBody/eventList/1 must match format "uri"',
    '/epcisBody/eventList/1 must be equal to one of the allowed values',
    '/epcisBody/eventList/1 property name must be valid',
  ],
  // Two sensorReports carry only an exception: the XSD makes type optional, the JSON Schema requires it.
  'WithSensorData/SensorDataExamples.xml': [
    "/epcisBody/eventList/8/sensorElementList/0/sensorReport/0 must have required property 'type'",
    "/epcisBody/eventList/8/sensorElementList/0/sensorReport/1 must have required property 'type'",
  ],
}

t.test('every GS1 XML example converts to a document the GS1 JSON Schema accepts', async (t) => {
  t.equal(XML_EXAMPLES.length, 37)
  t.equal(EPCIS_XML_EXAMPLES.length, 33)
  for (const example of EPCIS_XML_EXAMPLES) {
    const converted = await xmlToEpcisDocument(readFileSync(example.path))
    t.same(jsonSchemaErrors(converted), JSON_SCHEMA_CONFLICTS[example.name] ?? [], example.name)
    t.equal((converted['@context'] as unknown[])[0], GS1_CONTEXT, `${example.name} starts its @context with the GS1 context`)
  }
})

t.test('the CaptureJob examples are refused as not being EPCIS documents', async (t) => {
  for (const example of XML_EXAMPLES.filter((candidate) => candidate.name.startsWith('CaptureJob/'))) {
    const error = await refusalOf(readFileSync(example.path))
    t.equal(error.kind, 'unsupported', example.name)
    t.match(error.message, /capture job status report/)
  }
})

t.test('Example 9.6.1 converts to exactly the JSON-LD of the JSON binding', async (t) => {
  const converted = await xmlToEpcisDocument(readFileSync(EPCIS_XML_EXAMPLES.find((e) => e.name.startsWith('Example_9.6.1'))!.path))
  t.same(converted, {
    '@context': [GS1_CONTEXT, { example: 'http://ns.example.com/epcis' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2005-07-11T11:30:47.0Z',
    epcisBody: {
      eventList: [
        {
          type: 'ObjectEvent',
          eventTime: '2005-04-03T20:33:31.116-06:00',
          eventTimeZoneOffset: '-06:00',
          epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgtin:0614141.107346.2018'],
          action: 'OBSERVE',
          bizStep: 'shipping',
          disposition: 'in_transit',
          readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
          bizTransactionList: [{ type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' }],
        },
        {
          type: 'ObjectEvent',
          eventTime: '2005-04-04T20:33:31.116-06:00',
          eventTimeZoneOffset: '-06:00',
          epcList: ['urn:epc:id:sgtin:0614141.107346.2018'],
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'in_progress',
          readPoint: { id: 'urn:epc:id:sgln:0012345.11111.400' },
          bizLocation: { id: 'urn:epc:id:sgln:0012345.11111.0' },
          bizTransactionList: [
            { type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' },
            { type: 'desadv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
          ],
          'example:myField': 'Example of a vendor/user extension',
        },
      ],
    },
  })
})

t.test('CBV values: URNs, Web URIs and CURIEs of known terms become bare words, anything else is kept', async (t) => {
  const event = await firstEvent(
    doc(
      objectEvent(`<bizStep>https://ref.gs1.org/cbv/BizStep-shipping</bizStep><disposition>cbv:Disp-in_transit</disposition>
      <bizTransactionList>
        <bizTransaction type="urn:epcglobal:cbv:btt:po">urn:x:1</bizTransaction>
        <bizTransaction type="https://example.com/btt/custom">urn:x:2</bizTransaction>
        <bizTransaction>urn:x:3</bizTransaction>
      </bizTransactionList>
      <sourceList><source type="https://ref.gs1.org/cbv/SDT-owning_party">urn:x:s</source></sourceList>
      <destinationList><destination type="urn:epcglobal:cbv:sdt:location">urn:x:d</destination></destinationList>
      <sensorElementList><sensorElement>
        <sensorReport type="gs1:Temperature" value="1"/>
        <sensorReport type="https://gs1.org/voc/RelativeHumidity" exception="gs1:ALARM_CONDITION" component="urn:epcglobal:cbv:comp:x"/>
        <sensorReport type="gs1:Molar_concentration" component="example:x"/>
      </sensorElement></sensorElementList>
      <persistentDisposition><unset>urn:epcglobal:cbv:disp:completeness_inferred</unset><set>https://ref.gs1.org/cbv/Disp-completeness_verified</set></persistentDisposition>`),
    ),
  )
  t.equal(event.bizStep, 'shipping')
  t.equal(event.disposition, 'in_transit')
  t.same(event.bizTransactionList, [
    { type: 'po', bizTransaction: 'urn:x:1' },
    { type: 'https://example.com/btt/custom', bizTransaction: 'urn:x:2' },
    { bizTransaction: 'urn:x:3' },
  ])
  t.same(event.sourceList, [{ type: 'owning_party', source: 'urn:x:s' }])
  t.same(event.destinationList, [{ type: 'location', destination: 'urn:x:d' }])
  t.same(event.persistentDisposition, { unset: ['completeness_inferred'], set: ['completeness_verified'] })
  const reports = (event.sensorElementList as { sensorReport: JsonObject[] }[])[0]?.sensorReport
  t.same(reports, [
    { type: 'Temperature', value: 1 },
    { type: 'RelativeHumidity', exception: 'ALARM_CONDITION', component: 'x' },
    { type: 'gs1:Molar_concentration', component: 'example:x' },
  ])
  const kept = await firstEvent(doc(objectEvent('<bizStep>urn:epcglobal:cbv:bizstep:no_such_step</bizStep><disposition>https://example.com/disp/mine</disposition>')))
  t.equal(kept.bizStep, 'urn:epcglobal:cbv:bizstep:no_such_step', 'an unknown CBV URN is kept (and the JSON Schema rejects it)')
  t.equal(kept.disposition, 'https://example.com/disp/mine')
})

t.test('sensor attributes: numbers as numbers, booleans as booleans, extension attributes namespaced', async (t) => {
  const event = await firstEvent(
    doc(
      objectEvent(`<sensorElementList><sensorElement>
        <sensorMetadata time="2019-04-02T14:05:00Z" deviceID="urn:epc:id:giai:4000001.111" ex:batch="7"/>
        <sensorReport type="gs1:Temperature" value="26.0" minValue="-1.5E2" maxValue="3" sDev=".1" meanValue="+4" percRank="50" percValue="12.7"
          booleanValue="1" hexBinaryValue="f0f0" stringValue="s" uom="CEL" ex:cv="123"/>
        <ex:note>checked</ex:note>
      </sensorElement></sensorElementList>`),
      'xmlns:ex="https://example.com/ex/"',
    ),
  )
  t.same(event.sensorElementList, [
    {
      sensorMetadata: { time: '2019-04-02T14:05:00Z', deviceID: 'urn:epc:id:giai:4000001.111', 'ex:batch': '7' },
      sensorReport: [
        {
          type: 'Temperature',
          value: 26,
          minValue: -150,
          maxValue: 3,
          sDev: 0.1,
          meanValue: 4,
          percRank: 50,
          percValue: 12.7,
          booleanValue: true,
          hexBinaryValue: 'f0f0',
          stringValue: 's',
          uom: 'CEL',
          'ex:cv': '123',
        },
      ],
      'ex:note': 'checked',
    },
  ])
})

t.test('quantities: numbers, nil quantity left out', async (t) => {
  const event = await firstEvent(
    doc(
      objectEvent(`<quantityList>
        <quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>200.50</quantity><uom>KGM</uom></quantityElement>
        <quantityElement><epcClass>urn:epc:idpat:sgtin:4012345.098765.*</epcClass><quantity xsi:nil="true"/></quantityElement>
        <quantityElement><epcClass>urn:epc:idpat:sgtin:4012345.098765.*</epcClass></quantityElement>
      </quantityList>`),
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    ),
  )
  t.same(event.quantityList, [
    { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200.5, uom: 'KGM' },
    { epcClass: 'urn:epc:idpat:sgtin:4012345.098765.*' },
    { epcClass: 'urn:epc:idpat:sgtin:4012345.098765.*' },
  ])
})

t.test('error declarations, certificationInfo and eventID', async (t) => {
  const event = await firstEvent(
    doc(
      objectEvent('', '').replace(
        '<eventTimeZoneOffset>+01:00</eventTimeZoneOffset>',
        `<eventTimeZoneOffset>+01:00</eventTimeZoneOffset><eventID>urn:uuid:1</eventID>
         <errorDeclaration><declarationTime>2020-02-01T00:00:00Z</declarationTime><reason>urn:epcglobal:cbv:er:did_not_occur</reason>
           <correctiveEventIDs><correctiveEventID>urn:uuid:2</correctiveEventID><correctiveEventID>urn:uuid:3</correctiveEventID></correctiveEventIDs>
           <ex:by>me</ex:by></errorDeclaration>
         <certificationInfo>https://cert.example.org/1</certificationInfo>`,
      ),
      'xmlns:ex="https://example.com/ex/"',
    ),
  )
  t.equal(event.eventID, 'urn:uuid:1')
  t.equal(event.certificationInfo, 'https://cert.example.org/1')
  t.same(event.errorDeclaration, {
    declarationTime: '2020-02-01T00:00:00Z',
    reason: 'did_not_occur',
    correctiveEventIDs: ['urn:uuid:2', 'urn:uuid:3'],
    'ex:by': 'me',
  })
})

t.test('extension elements: nesting, repetition, empty elements, attributes, unqualified children', async (t) => {
  const event = await firstEvent(
    doc(
      objectEvent(
        `<ilmd><cbvmda:lotNumber>L1</cbvmda:lotNumber><cbvmda:netWeight measurementUnitCode="KGM">3.5</cbvmda:netWeight></ilmd>
        <ex:list>1</ex:list><ex:list>two</ex:list><ex:list><ex:three>3</ex:three></ex:list>
        <ex:empty/>
        <ex:typed xsi:type="xsd:boolean">true</ex:typed>
        <ex:outer><inner>x</inner><ex2:deeper ex:flag="yes"><ex2:leaf> spaced </ex2:leaf></ex2:deeper></ex:outer>
        <other:thing xmlns:other="urn:other:">o</other:thing>
        <plain xmlns="https://default.example.com/">d</plain>`,
        'ex:attribute="on-event"',
      ),
      'xmlns:ex="https://example.com/ex/" xmlns:ex2="https://example.com/ex2#" xmlns:cbvmda="urn:epcglobal:cbv:mda" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
    ),
  )
  t.same(event.ilmd, { 'cbvmda:lotNumber': 'L1', 'cbvmda:netWeight': { measurementUnitCode: 'KGM', '#text': '3.5' } })
  t.equal(event['ex:attribute'], 'on-event')
  t.same(event['ex:list'], ['1', 'two', { 'ex:three': '3' }])
  t.equal(event['ex:empty'], '')
  t.equal(event['ex:typed'], 'true', 'text stays a string, xsi:type is not carried over')
  t.same(event['ex:outer'], { inner: 'x', 'ex2:deeper': { 'ex:flag': 'yes', 'ex2:leaf': ' spaced ' } })
  t.equal(event['other:thing'], 'o')
  t.equal(event['ns1:plain'], 'd', 'a default namespace gets a generated prefix')
})

t.test('@context: one entry per extension namespace (declared on the root or used), GS1 prefixes never redefined', async (t) => {
  const converted = await xmlToEpcisDocument(
    doc(
      objectEvent('<ex:a>1</ex:a><cbvmda:lotNumber>L</cbvmda:lotNumber><gs1:x>y</gs1:x><type:t>z</type:t>') +
        objectEvent('<ex:b xmlns:ex="https://elsewhere.example.com/">2</ex:b><mda:lotNumber xmlns:mda="urn:epcglobal:cbv:mda">M</mda:lotNumber>'),
      'xmlns:ex="https://example.com/ex/" xmlns:unused="urn:unused:" xmlns:cbvmda="urn:epcglobal:cbv:mda" xmlns:gs1="https://example.com/not-gs1/" xmlns:type="urn:type:"',
    ),
  )
  t.same(converted['@context'], [
    GS1_CONTEXT,
    { ex: 'https://example.com/ex/' },
    { unused: 'urn:unused:' },
    { gs1_1: 'https://example.com/not-gs1/' },
    { type_1: 'urn:type:' },
    { ex_1: 'https://elsewhere.example.com/' },
  ])
  const [first, second] = (converted.epcisBody as { eventList: JsonObject[] }).eventList
  t.equal(first?.['ex:a'], '1')
  t.equal(first?.['cbvmda:lotNumber'], 'L', 'cbvmda is the GS1 context prefix: no @context entry')
  t.equal(first?.['gs1_1:x'], 'y', 'a document prefix that clashes with a protected GS1 term is renamed')
  t.equal(first?.['type_1:t'], 'z')
  t.equal(second?.['ex_1:b'], '2', 'the same prefix bound to another namespace is renamed')
  t.equal(second?.['cbvmda:lotNumber'], 'M', 'the CBV master data namespace always uses cbvmda')
})

t.test('header: SBDH kept as a namespaced property and summarised as sender/receiver/instanceIdentifier; master data', async (t) => {
  const converted = await xmlToEpcisDocument(fixture('epcis-2.0-equivalent.xml'))
  t.equal(converted.sender, 'urn:epc:id:sgln:0614141.00001.0')
  t.equal(converted.receiver, 'urn:epc:id:sgln:0614142.00001.0')
  t.equal(converted.instanceIdentifier, '1234567890')
  const header = converted.epcisHeader as JsonObject
  t.same((header['sbdh:StandardBusinessDocumentHeader'] as JsonObject)['sbdh:Sender'], {
    'sbdh:Identifier': { Authority: 'SGLN', '#text': 'urn:epc:id:sgln:0614141.00001.0' },
  })
  t.same(header.epcisMasterData, {
    vocabularyList: [
      {
        type: 'urn:epcglobal:epcis:vtype:ReadPoint',
        vocabularyElementList: [
          {
            id: 'urn:epc:id:sgln:0614141.00777.0',
            attributes: [{ id: 'urn:epcglobal:cbv:mda:site', attribute: '0614141007770' }],
            children: ['urn:epc:id:sgln:0614141.00777.1'],
          },
        ],
      },
    ],
  })
  t.same(jsonSchemaErrors(converted), [])
})

t.test('master data documents become an EPCISDocument with header master data and no events', async (t) => {
  const example = EPCIS_XML_EXAMPLES.find((candidate) => candidate.name === 'Mimasu/Example-masterData.xml')!
  const converted = await xmlToEpcisDocument(readFileSync(example.path))
  t.same((converted.epcisBody as JsonObject).eventList, [])
  const vocabularies = ((converted.epcisHeader as JsonObject).epcisMasterData as { vocabularyList: JsonObject[] }).vocabularyList
  t.equal(vocabularies.length, 2)
  t.same((vocabularies[0]?.vocabularyElementList as JsonObject[])[0], {
    id: 'urn:epc:id:sgln:0037000.00729.0',
    attributes: [
      { id: 'http://epcis.example.com/mda/latitude', attribute: '+18.0000' },
      { id: 'http://epcis.example.com/mda/longitude', attribute: '-70.0000' },
      {
        id: 'http://epcis.example.com/mda/address',
        attribute: { 'example:Address': { Street: '100 Nowhere Street', City: 'Fancy', State: 'DC', Zip: '99999' } },
      },
    ],
    children: ['urn:epc:id:sgln:0037000.00729.8201', 'urn:epc:id:sgln:0037000.00729.8202', 'urn:epc:id:sgln:0037000.00729.8203'],
  })
  t.same(converted['@context'], [GS1_CONTEXT, { example: 'http://epcis.example.com/ns' }])
})

t.test('EPCIS 1.2: extension and baseExtension wrappers give the same JSON-LD as the 2.0 form', async (t) => {
  const fromVersion12 = await xmlToEpcisDocument(fixture('epcis-1.2-document.xml'))
  const fromVersion20 = await xmlToEpcisDocument(fixture('epcis-2.0-equivalent.xml'))
  t.same(fromVersion12, fromVersion20)
  t.equal(fromVersion12.schemaVersion, '2.0')
  t.same(
    (fromVersion12.epcisBody as { eventList: JsonObject[] }).eventList.map((event) => event.type),
    ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent'],
  )
  t.same(jsonSchemaErrors(fromVersion12), [])
})

t.test('EPCIS 1.x master data and query documents are read too', async (t) => {
  const masterData = await xmlToEpcisDocument(`<epcismd:EPCISMasterDataDocument xmlns:epcismd="urn:epcglobal:epcis-masterdata:xsd:1" schemaVersion="1.2" creationDate="2016-01-01T00:00:00Z">
    <EPCISBody><VocabularyList><Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation"><VocabularyElementList>
      <VocabularyElement id="urn:epc:id:sgln:0614141.00888.0"><attribute id="urn:epcglobal:cbv:mda#name">Warehouse</attribute><children/></VocabularyElement>
    </VocabularyElementList></Vocabulary></VocabularyList></EPCISBody></epcismd:EPCISMasterDataDocument>`)
  t.same((masterData.epcisHeader as JsonObject).epcisMasterData, {
    vocabularyList: [
      {
        type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
        vocabularyElementList: [{ id: 'urn:epc:id:sgln:0614141.00888.0', attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Warehouse' }] }],
      },
    ],
  })
  const query = await xmlToEpcisDocument(`<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:1" schemaVersion="1.2" creationDate="2016-01-01T00:00:00Z">
    <EPCISBody><epcisq:QueryResults><queryName>SimpleEventQuery</queryName><subscriptionID>s-1</subscriptionID><resultsBody><EventList>
      ${objectEvent('')}
      <extension><TransformationEvent><eventTime>2016-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <inputEPCList><epc>urn:x:in</epc></inputEPCList><outputEPCList><epc>urn:x:out</epc></outputEPCList></TransformationEvent></extension>
    </EventList></resultsBody></epcisq:QueryResults></EPCISBody></epcisq:EPCISQueryDocument>`)
  t.equal(query.type, 'EPCISQueryDocument')
  const results = (query.epcisBody as JsonObject).queryResults as JsonObject
  t.equal(results.queryName, 'SimpleEventQuery')
  t.equal(results.subscriptionID, 's-1')
  t.same(((results.resultsBody as JsonObject).eventList as JsonObject[]).map((event) => event.type), ['ObjectEvent', 'TransformationEvent'])
  t.same(jsonSchemaErrors(query), [])
})

t.test('structure errors are refused with a clear message and the line', async (t) => {
  const cases: [string, RegExp][] = [
    [doc('<ObjectEvent><eventTime>2020-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset></ObjectEvent>'), /ObjectEvent has no <action>/],
    [doc(objectEvent('<whatever>1</whatever>')), /Unexpected element <whatever> in ObjectEvent/],
    [doc(objectEvent('<bizStep>a</bizStep><bizStep>b</bizStep>')), /<bizStep> appears more than once/],
    [doc(objectEvent('<quantityList><quantityElement><epcClass>urn:x</epcClass><quantity>ten</quantity></quantityElement></quantityList>')), /<quantity> must be a decimal number, found "ten"/],
    [doc(objectEvent('<sensorElementList><sensorElement><sensorReport type="gs1:Temperature" value="INF"/></sensorElement></sensorElementList>')), /value on <sensorReport> must be a finite number/],
    [doc(objectEvent('<sensorElementList><sensorElement><sensorReport booleanValue="yes"/></sensorElement></sensorElementList>')), /booleanValue on <sensorReport> must be true or false/],
    [doc(objectEvent('').replace('OBSERVE', 'LOOK')), /<action> must be ADD, OBSERVE or DELETE/],
    [doc('<TransactionEvent><eventTime>2020-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>ADD</action></TransactionEvent>'), /TransactionEvent has no <bizTransactionList>/],
    [doc('<QuantityEvent><eventTime>2020-01-01T00:00:00Z</eventTime></QuantityEvent>'), /QuantityEvent was deprecated/],
    [doc(objectEvent('')).replace(' creationDate="2020-01-01T00:00:00Z"', ''), /has no creationDate attribute/],
    [doc(objectEvent('')).replace('schemaVersion="2.0"', 'schemaVersion="3.0"'), /not an EPCIS 1.x or 2.0 version/],
    ['<foo xmlns="urn:foo"/>', /root element <foo> in namespace urn:foo is not an EPCIS document/],
    [doc(objectEvent('<readPoint><ex:x xmlns:ex="urn:ex:">1</ex:x></readPoint>')), /<readPoint> has no <id>/],
    [
      '<q:EPCISQueryDocument xmlns:q="urn:epcglobal:epcis-query:xsd:2" schemaVersion="2.0" creationDate="2020-01-01T00:00:00Z"><EPCISBody><q:GetQueryNames/></EPCISBody></q:EPCISQueryDocument>',
      /carries <GetQueryNames>; only QueryResults documents can be converted/,
    ],
  ]
  for (const [xml, message] of cases) {
    const error = await refusalOf(xml)
    t.match(error.message, message)
  }
  const located = await refusalOf(doc(`\n\n${objectEvent('\n<whatever/>')}`))
  t.equal(located.line, 7)
  t.equal(located.kind, 'structure')
})

t.test('readPoint and bizLocation keep their extensions, 1.2 extension wrapper included', async (t) => {
  const event = await firstEvent(
    doc(
      objectEvent(`<readPoint><id>urn:epc:id:sgln:0614141.00777.0</id><extension><ex:gate>4</ex:gate></extension></readPoint>
        <bizLocation><id>urn:epc:id:sgln:0614141.00888.0</id><ex:room>2</ex:room></bizLocation>`),
      'xmlns:ex="https://example.com/ex/"',
    ),
  )
  t.same(event.readPoint, { id: 'urn:epc:id:sgln:0614141.00777.0', 'ex:gate': '4' })
  t.same(event.bizLocation, { id: 'urn:epc:id:sgln:0614141.00888.0', 'ex:room': '2' })
})

t.test('streamXmlEvents yields the header, one item per event with the @context known so far, then the final document', async (t) => {
  const xml = doc(objectEvent('<ex:a>1</ex:a>') + objectEvent('') + objectEvent('<late:b xmlns:late="urn:late:">2</late:b>'), 'xmlns:ex="https://example.com/ex/"')
  const items: XmlStreamItem[] = []
  for await (const item of streamXmlEvents(Buffer.from(xml))) items.push(item)
  t.same(items.map((item) => item.kind), ['header', 'event', 'event', 'event', 'end'])
  const [header, first, second, third, end] = items
  t.same(header?.kind === 'header' && header.document['@context'], [GS1_CONTEXT, { ex: 'https://example.com/ex/' }], 'root declarations')
  t.same(first?.kind === 'event' && first.context, [GS1_CONTEXT, { ex: 'https://example.com/ex/' }])
  t.equal(second?.kind === 'event' && second.context, first?.kind === 'event' && first.context, 'the same array while no prefix is added')
  t.same(third?.kind === 'event' && [third.index, third.context], [2, [GS1_CONTEXT, { ex: 'https://example.com/ex/' }, { late: 'urn:late:' }]])
  t.same(end?.kind === 'end' && [end.eventCount, end.document['@context']], [3, [GS1_CONTEXT, { ex: 'https://example.com/ex/' }, { late: 'urn:late:' }]])
})
