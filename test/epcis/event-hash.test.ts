import fc from 'fast-check'
import t from 'tap'
import { EVENT_HASH_VERSION, eventHashId, preHashString } from '../../src/epcis/event-hash/index.js'
import { canonicalDecimal, canonicalNumber, canonicalTimestamp, compareCodePoints } from '../../src/epcis/event-hash/values.js'

type Json = Record<string, unknown>

const NS = { example: 'https://ns.example.com/epcis/' }

/** A typical ObjectEvent with one of everything common. */
function objectEvent(): Json {
  return {
    type: 'ObjectEvent',
    eventTime: '2005-04-03T20:33:31.116-06:00',
    eventTimeZoneOffset: '-06:00',
    epcList: ['urn:epc:id:sgtin:0614141.107346.2018', 'urn:epc:id:sgtin:0614141.107346.2017'],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
    bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
    bizTransactionList: [
      { type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' },
      { type: 'desadv', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
    ],
    sourceList: [{ type: 'possessing_party', source: 'urn:epc:id:pgln:0614141.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:4012345.00000' }],
    'example:myField': { 'example:a': '1', 'example:b': ['x', 'y'] },
  }
}

function sensorEvent(): Json {
  return {
    type: 'ObjectEvent',
    eventTime: '2019-04-02T15:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: ['urn:epc:id:sgtin:4012345.011111.9876'],
    action: 'OBSERVE',
    bizStep: 'inspecting',
    readPoint: { id: 'urn:epc:id:sgln:4012345.00005.0', 'example:gate': '7' },
    sensorElementList: [
      {
        sensorMetadata: { time: '2019-04-02T13:05:00Z', deviceID: 'urn:epc:id:giai:4000001.111', 'example:batch': 'B1' },
        sensorReport: [
          { type: 'Temperature', value: 26, uom: 'CEL', 'example:probe': 'p1' },
          { type: 'AbsoluteHumidity', value: 12.1, uom: 'A93' },
          { type: 'Angle', value: 23.319941, component: 'longitude', uom: 'DD' },
          { exception: 'ALARM_CONDITION', booleanValue: true },
        ],
        'example:note': 'n',
      },
    ],
  }
}

const hash = (event: Json, namespaces: Record<string, string> = NS) => eventHashId(event, namespaces)

t.test('the hash ID format', async (t) => {
  t.match(hash(objectEvent()), /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/)
  t.equal(EVENT_HASH_VERSION, 'CBV2.0')
})

t.test('the pre-hash string of a typical event', async (t) => {
  t.equal(
    preHashString(objectEvent(), NS),
    'eventType=ObjectEventeventTime=2005-04-04T02:33:31.116ZeventTimeZoneOffset=-06:00' +
      'epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018' +
      'action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit' +
      'readPointid=https://id.gs1.org/414/0614141073467/254/1234bizLocationid=https://id.gs1.org/414/0614141073467' +
      'bizTransactionList' +
      'type=https://ref.gs1.org/cbv/BTT-desadvbizTransaction=urn:epcglobal:cbv:bt:0614141073467:1152' +
      'type=https://ref.gs1.org/cbv/BTT-pobizTransaction=http://transaction.acme.com/po/12345678' +
      'sourceListtype=https://ref.gs1.org/cbv/SDT-possessing_partysource=https://id.gs1.org/417/0614141000005' +
      'destinationListtype=https://ref.gs1.org/cbv/SDT-owning_partydestination=https://id.gs1.org/417/4012345000009' +
      '{https://ns.example.com/epcis/}myField{https://ns.example.com/epcis/}a=1' +
      '{https://ns.example.com/epcis/}b=x{https://ns.example.com/epcis/}b=y',
  )
})

t.test('sensor data: no sensorElementList name, nested extensions in the trailing block', async (t) => {
  t.equal(
    preHashString(sensorEvent(), NS),
    'eventType=ObjectEventeventTime=2019-04-02T14:00:00.000ZeventTimeZoneOffset=+01:00' +
      'epcListepc=https://id.gs1.org/01/04012345111118/21/9876action=OBSERVE' +
      'bizStep=https://ref.gs1.org/cbv/BizStep-inspectingreadPointid=https://id.gs1.org/414/4012345000054' +
      'sensorElementsensorMetadatatime=2019-04-02T13:05:00.000ZdeviceID=https://id.gs1.org/8004/4000001111' +
      'sensorReportexception=https://gs1.org/voc/ALARM_CONDITIONbooleanValue=true' +
      'sensorReporttype=https://gs1.org/voc/AbsoluteHumidityvalue=12.1uom=A93' +
      'sensorReporttype=https://gs1.org/voc/Anglevalue=23.319941component=https://ref.gs1.org/cbv/Comp-longitudeuom=DD' +
      'sensorReporttype=https://gs1.org/voc/Temperaturevalue=26uom=CEL' +
      'readPoint{https://ns.example.com/epcis/}gate=7' +
      'sensorElementsensorMetadata{https://ns.example.com/epcis/}batch=B1' +
      'sensorReport{https://ns.example.com/epcis/}probe=p1{https://ns.example.com/epcis/}note=n',
  )
})

t.test('fields outside the canonical property order do not change the hash', async (t) => {
  const plain = hash(objectEvent())
  const decorated = {
    ...objectEvent(),
    eventID: 'urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8',
    recordTime: '2024-01-01T00:00:00Z',
    certificationInfo: 'https://accreditation-council.example.org/certificate/ABC12345',
    errorDeclaration: { declarationTime: '2020-01-15T00:00:00+01:00', reason: 'incorrect_data' },
    'rdfs:comment': 'an annotation, as an XML comment would be',
    '@context': [{ other: 'https://other.example.com/' }],
  }
  t.equal(hash(decorated, { ...NS, rdfs: 'http://www.w3.org/2000/01/rdf-schema#' }), plain)
})

t.test('one namespace under different prefixes, or as full IRIs, hashes alike', async (t) => {
  const a = { ...sensorEvent(), 'example:x': { 'example:y': 'z' } }
  const renamed = JSON.parse(JSON.stringify(a).replaceAll('"example:', '"ns1:')) as Json
  const full = JSON.parse(JSON.stringify(a).replaceAll('"example:', '"https://ns.example.com/epcis/')) as Json
  const base = hash(a)
  t.equal(hash(renamed, { ns1: 'https://ns.example.com/epcis/' }), base)
  t.equal(hash(full, {}), base)
  t.not(hash(renamed, { ns1: 'https://ns.other.example.com/epcis/' }), base, 'another namespace is another field')
})

t.test('CBV bare words, URNs, CURIEs and Web URIs hash alike', async (t) => {
  const words = {
    ...sensorEvent(),
    disposition: 'in_transit',
    persistentDisposition: { set: ['completeness_verified'], unset: ['completeness_inferred'] },
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:PO1' }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00000' }],
  }
  const urns = {
    ...words,
    bizStep: 'urn:epcglobal:cbv:bizstep:inspecting',
    disposition: 'urn:epcglobal:cbv:disp:in_transit',
    persistentDisposition: { set: ['urn:epcglobal:cbv:disp:completeness_verified'], unset: ['urn:epcglobal:cbv:disp:completeness_inferred'] },
    bizTransactionList: [{ type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:PO1' }],
    sourceList: [{ type: 'urn:epcglobal:cbv:sdt:owning_party', source: 'urn:epc:id:pgln:4012345.00000' }],
    sensorElementList: [
      {
        ...(sensorEvent().sensorElementList as Json[])[0],
        sensorReport: [
          { type: 'gs1:Temperature', value: 26, uom: 'CEL', 'example:probe': 'p1' },
          { type: 'gs1:AbsoluteHumidity', value: 12.1, uom: 'A93' },
          { type: 'gs1:Angle', value: 23.319941, component: 'cbv:Comp-longitude', uom: 'DD' },
          { exception: 'gs1:ALARM_CONDITION', booleanValue: true },
        ],
      },
    ],
  }
  const webUris = {
    ...words,
    bizStep: 'https://ref.gs1.org/cbv/BizStep-inspecting',
    disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
    persistentDisposition: { set: ['https://ref.gs1.org/cbv/Disp-completeness_verified'], unset: ['https://ref.gs1.org/cbv/Disp-completeness_inferred'] },
    bizTransactionList: [{ type: 'https://ref.gs1.org/cbv/BTT-po', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:PO1' }],
    sourceList: [{ type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: 'urn:epc:id:pgln:4012345.00000' }],
    sensorElementList: [
      {
        ...(sensorEvent().sensorElementList as Json[])[0],
        sensorReport: [
          { type: 'https://gs1.org/voc/Temperature', value: 26, uom: 'CEL', 'example:probe': 'p1' },
          { type: 'https://gs1.org/voc/AbsoluteHumidity', value: 12.1, uom: 'A93' },
          { type: 'https://gs1.org/voc/Angle', value: 23.319941, component: 'https://ref.gs1.org/cbv/Comp-longitude', uom: 'DD' },
          { exception: 'https://gs1.org/voc/ALARM_CONDITION', booleanValue: true },
        ],
      },
    ],
  }
  const base = hash(words)
  t.equal(hash(urns), base, 'URN / CURIE')
  t.equal(hash(webUris), base, 'Web URI')
  t.match(preHashString(words, NS), 'persistentDispositionset=https://ref.gs1.org/cbv/Disp-completeness_verifiedunset=https://ref.gs1.org/cbv/Disp-completeness_inferred')
})

t.test('EPC URNs and Digital Links hash alike', async (t) => {
  const urn = objectEvent()
  const dl = {
    ...objectEvent(),
    epcList: ['https://id.gs1.org/01/10614141073464/21/2017', 'https://example.com/01/10614141073464/21/2018?linkType=all'],
    readPoint: { id: 'https://id.gs1.org/414/0614141073467/254/1234' },
    bizLocation: { id: 'https://id.gs1.org/414/0614141073467' },
    sourceList: [{ type: 'possessing_party', source: 'https://id.gs1.org/417/0614141000005' }],
    destinationList: [{ type: 'owning_party', destination: 'https://id.gs1.org/417/4012345000009' }],
  }
  t.equal(hash(dl), hash(urn))
  const classLevel = { ...objectEvent(), epcList: [], quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' }] }
  const classDl = { ...classLevel, quantityList: [{ epcClass: 'https://id.gs1.org/01/04012345123456/10/998877', quantity: 200, uom: 'KGM' }] }
  t.equal(hash(classDl), hash(classLevel))
  t.match(preHashString(classLevel, NS), 'quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877quantity=200uom=KGM')
})

t.test('an invalid GS1 identifier is hashed as written, not refused', async (t) => {
  const event = { ...objectEvent(), epcList: ['https://id.gs1.org/01/10614141073465/21/2017', 'urn:epc:id:sgtin:0614141.1073.46'] }
  t.doesNotThrow(() => hash(event))
  t.match(preHashString(event, NS), 'epc=https://id.gs1.org/01/10614141073465/21/2017')
})

t.test('CURIEs in identifier fields are expanded', async (t) => {
  const curie = { ...objectEvent(), readPoint: { id: 'example:dock-1' }, transformationID: 'example:t1' }
  const full = { ...objectEvent(), readPoint: { id: 'https://ns.example.com/epcis/dock-1' }, transformationID: 'https://ns.example.com/epcis/t1' }
  t.equal(hash(curie), hash(full))
  t.match(preHashString(curie, NS), 'readPointid=https://ns.example.com/epcis/dock-1')
})

t.test('timestamps: same instant, any zone or precision', async (t) => {
  const at = (eventTime: string) => hash({ ...objectEvent(), eventTime })
  const base = at('2005-04-04T02:33:31.116Z')
  t.equal(at('2005-04-03T20:33:31.116-06:00'), base)
  t.equal(at('2005-04-04T02:33:31.116+00:00'), base)
  t.equal(at('2005-04-04T04:33:31.11600+02:00'), base)
  t.equal(at('2005-04-04T02:33:31.1155Z'), base, 'rounded half-up to milliseconds')
  t.not(at('2005-04-04T02:33:31.1154Z'), base)
  t.equal(canonicalTimestamp('2020-03-04T11:00:30+01:00'), '2020-03-04T10:00:30.000Z')
  t.equal(canonicalTimestamp('2023-02-02T11:04:03.1415Z'), '2023-02-02T11:04:03.142Z')
  t.equal(canonicalTimestamp('2023-02-02T11:04:03.1414Z'), '2023-02-02T11:04:03.141Z')
  t.equal(canonicalTimestamp('2023-12-31T23:59:59.9995Z'), '2024-01-01T00:00:00.000Z', 'the carry moves the date')
  t.equal(canonicalTimestamp('0099-01-01T00:00:00Z'), '0099-01-01T00:00:00.000Z', 'two-digit years stay')
  t.equal(canonicalTimestamp(' 2005-04-03T20:33:31.1-06:00 '), '2005-04-04T02:33:31.100Z')
  t.equal(canonicalTimestamp('2005-04-03T20:33:31'), '2005-04-03T20:33:31', 'no zone: not a dateTimeStamp, kept')
})

t.test('numbers: no trailing zeros, no exponent, exact digits', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['1.0', '1'],
    ['0.3434', '0.3434'],
    ['0.34340', '0.3434'],
    ['26.20', '26.2'],
    ['-0.0', '0'],
    ['+5', '5'],
    ['1E3', '1000'],
    ['1.5e-3', '0.0015'],
    ['.5', '0.5'],
    ['12345678901234567890.10', '12345678901234567890.1'],
    ['007', undefined],
    ['1.2.3', undefined],
    ['abc', undefined],
    ['', undefined],
  ]
  for (const [input, expected] of cases) t.equal(canonicalDecimal(input), expected, input)
  t.equal(canonicalNumber(200), '200')
  t.equal(canonicalNumber(0.1), '0.1')
  t.equal(canonicalNumber(1e21), '1000000000000000000000')
  t.equal(canonicalNumber(1.5e-7), '0.00000015')
  t.equal(canonicalNumber('0200.50'), '200.5', 'a typed numeric field may have leading zeros')
  const quantity = (q: unknown) => hash({ ...objectEvent(), quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: q, uom: 'KGM' }] })
  t.equal(quantity('200.0'), quantity(200))
  t.equal(quantity('2E2'), quantity(200))
  t.not(quantity(200.5), quantity(200))
  const extension = (value: unknown) => hash({ ...objectEvent(), 'example:w': value })
  t.equal(extension('23.0'), extension(23), 'numeric extension values, from XML text or JSON numbers')
  t.not(extension('007'), extension('7'), 'a zero-padded code is not a quantity')
})

t.test('user extensions and ILMD', async (t) => {
  const extension = (value: unknown, namespaces: Record<string, string> = NS) =>
    preHashString({ type: 'ObjectEvent', 'example:x': value }, namespaces)
  t.equal(extension({ '@value': ' 5.50 ' }), extension('5.5'), 'a JSON-LD value object is its value, normalised')
  t.equal(extension({ '@list': ['b', 'a'] }), extension(['a', 'b']), 'a JSON-LD list is its items')
  t.equal(extension({ '@id': 'urn:epc:id:sgtin:0614141.107346.2017' }), extension('https://id.gs1.org/01/10614141073464/21/2017'))
  t.equal(extension('urn:epcglobal:cbv:disp:in_transit'), extension('https://ref.gs1.org/cbv/Disp-in_transit'))
  t.equal(extension('2020-03-04T11:00:30+01:00'), 'eventType=ObjectEvent{https://ns.example.com/epcis/}x=2020-03-04T10:00:30.000Z')
  t.equal(extension(''), 'eventType=ObjectEvent{https://ns.example.com/epcis/}x', 'an empty element is its name')
  t.equal(extension(true), 'eventType=ObjectEvent{https://ns.example.com/epcis/}x=true')
  t.equal(extension('example:y'), 'eventType=ObjectEvent{https://ns.example.com/epcis/}x=example:y', 'a literal, not expanded')
  t.equal(
    extension({ 'example:b': '2', 'example:a': [{ 'example:c': '3' }, '1'] }),
    'eventType=ObjectEvent{https://ns.example.com/epcis/}x{https://ns.example.com/epcis/}a=1' +
      '{https://ns.example.com/epcis/}a{https://ns.example.com/epcis/}c=3{https://ns.example.com/epcis/}b=2',
    'children sorted at every level, "=" before "{"',
  )
  const lot = (prefixIri: string) => preHashString({ type: 'ObjectEvent', ilmd: { 'cbvmda:lotNumber': 'L1' } }, { cbvmda: prefixIri })
  t.equal(lot('urn:epcglobal:cbv:mda:'), 'eventType=ObjectEventilmd{urn:epcglobal:cbv:mda}lotNumber=L1', 'JSON-LD prefix IRI')
  t.equal(lot('urn:epcglobal:cbv:mda'), lot('urn:epcglobal:cbv:mda:'), 'XML namespace name')
  t.equal(
    preHashString({ type: 'ObjectEvent', ilmd: { 'cbvmda:lotNumber': 'L1' } }, {}),
    'eventType=ObjectEventilmd{urn:epcglobal:cbv:mda}lotNumber=L1',
    'cbvmda comes with the EPCIS context',
  )
  t.equal(
    preHashString({ type: 'ObjectEvent', 'https://ns.example.com/epcis/x': '1', 'urn:example:ns:y': '2' }, {}),
    'eventType=ObjectEvent{https://ns.example.com/epcis/}x=1{urn:example:ns}y=2',
    'absolute IRI keys',
  )
})

t.test('an empty list is an omitted list', async (t) => {
  const { epcList: _omitted, ...withoutEpcList } = objectEvent()
  t.equal(hash({ ...objectEvent(), epcList: [] }), hash(withoutEpcList))
  t.equal(hash({ ...objectEvent(), readPoint: {} }), hash({ ...objectEvent(), readPoint: undefined }))
})

t.test('every relevant change changes the hash', async (t) => {
  const base = hash(objectEvent())
  const changes: Array<[string, (event: Json) => void]> = [
    ['event type', (e) => (e.type = 'AggregationEvent')],
    ['time', (e) => (e.eventTime = '2005-04-03T20:33:31.117-06:00')],
    ['zone offset', (e) => (e.eventTimeZoneOffset = '-05:00')],
    ['an EPC more', (e) => (e.epcList = [...(e.epcList as string[]), 'urn:epc:id:sgtin:0614141.107346.2019'])],
    ['action', (e) => (e.action = 'ADD')],
    ['bizStep', (e) => (e.bizStep = 'receiving')],
    ['disposition removed', (e) => delete e.disposition],
    ['read point', (e) => (e.readPoint = { id: 'urn:epc:id:sgln:0614141.07346.1235' })],
    ['transaction type', (e) => ((e.bizTransactionList as Json[])[0]!.type = 'inv')],
    ['source moved to destination', (e) => {
      e.destinationList = [...(e.destinationList as Json[]), { type: 'possessing_party', destination: 'urn:epc:id:pgln:0614141.00000' }]
      delete e.sourceList
    }],
    ['extension value', (e) => (e['example:myField'] = { 'example:a': '2', 'example:b': ['x', 'y'] })],
    ['extension added', (e) => (e['example:other'] = 'v')],
    ['ilmd added', (e) => (e.ilmd = { 'example:lot': 'L1' })],
    ['transformationID', (e) => (e.transformationID = 'urn:uuid:1')],
  ]
  const seen = new Set([base])
  for (const [name, change] of changes) {
    const event = objectEvent()
    change(event)
    const changed = hash(event)
    t.not(changed, base, name)
    seen.add(changed)
  }
  t.equal(seen.size, changes.length + 1, 'all different from one another')
})

/** Deep copy with every object's keys in a random order and every list shuffled. */
function shuffled(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => shuffled(item, random))
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[items[i], items[j]] = [items[j], items[i]]
    }
    return items
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, shuffled(v, random)] as const)
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[entries[i], entries[j]] = [entries[j]!, entries[i]!]
    }
    return Object.fromEntries(entries)
  }
  return value
}

t.test('key order and list order do not matter (property)', async (t) => {
  const events = [objectEvent(), sensorEvent(), { ...objectEvent(), ilmd: { 'example:a': ['3', '1', { 'example:b': '2' }], 'cbvmda:lotNumber': 'L1' } }]
  const expected = events.map((event) => hash(event))
  fc.assert(
    fc.property(fc.integer({ min: 0, max: events.length - 1 }), fc.infiniteStream(fc.double({ min: 0, max: 0.999999, noNaN: true })), (index, stream) => {
      const iterator = stream[Symbol.iterator]()
      const random = () => iterator.next().value as number
      return hash(shuffled(events[index], random) as Json) === expected[index]
    }),
    { numRuns: 200 },
  )
  t.pass('hash is independent of key and list order')
})

t.test('code point ordering (UTF-8 byte order)', async (t) => {
  t.ok(compareCodePoints('B', 'a') < 0, 'upper case first')
  t.ok(compareCodePoints('ab', 'abc') < 0)
  t.ok(compareCodePoints('\uffff', '\u{10000}') < 0, 'U+FFFF before U+10000, unlike UTF-16 order')
  t.ok(compareCodePoints('\ue000', '\ud800\udc00') < 0)
  t.equal(compareCodePoints('x', 'x'), 0)
})
