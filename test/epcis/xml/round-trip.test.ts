import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderEpcisDocumentXml, renderQueryDocumentXml, validateXmlDocuments, xmlToEpcisDocument } from '../../../src/epcis/xml/index.js'
import type { JsonObject } from '../../../src/epcis/xml/index.js'
import { EPCIS_XML_EXAMPLES, EXAMPLES, JSON_EXAMPLES, readJson } from './examples.js'
import { contextPrefixes, differences, normalise } from './normalise.js'
import type { Difference } from './normalise.js'

type Json = Parameters<typeof normalise>[0]

function eventsOf(document: Record<string, unknown>): JsonObject[] {
  const body = document.epcisBody as JsonObject
  if (document.type === 'EPCISQueryDocument') return ((body.queryResults as JsonObject).resultsBody as JsonObject).eventList as JsonObject[]
  return body.eventList as JsonObject[]
}

function normalisedEvents(document: Record<string, unknown>): Json {
  return normalise(eventsOf(document) as Json, contextPrefixes(document['@context']))
}

t.test('xml -> JSON-LD -> xml -> JSON-LD gives the same JSON-LD, and the xml in between validates', async (t) => {
  const sources = [...EPCIS_XML_EXAMPLES.map((example) => example.path), ...['epcis-1.2-document.xml', 'epcis-2.0-equivalent.xml'].map((name) => new URL(`./fixtures/${name}`, import.meta.url))]
  const first = await Promise.all(sources.map(async (source) => xmlToEpcisDocument(readFileSync(source))))
  const rendered = first.map((document) => renderEpcisDocumentXml(document))
  const validations = await validateXmlDocuments(rendered)
  for (const [index, source] of sources.entries()) {
    const name = String(source).replace(/.*epcis-examples\/xml\/|.*fixtures\//, '')
    t.same(validations[index], { valid: true, errors: [], checkedWith: 'EPCglobal-epcis-2_0.xsd' }, `${name}: rendered XML validates`)
    t.same(await xmlToEpcisDocument(rendered[index] as string), first[index], `${name}: same JSON-LD after the round trip`)
  }
})

t.test('query documents survive the round trip too', async (t) => {
  const document = readJson(join(EXAMPLES, 'json/EPCISQueryDocument.jsonld'))
  const xml = renderQueryDocumentXml(eventsOf(document), { context: document['@context'] as unknown[], queryName: 'SimpleEventQuery', subscriptionID: 'sub', creationDate: '2024-01-01T00:00:00Z' })
  const once = await xmlToEpcisDocument(xml)
  t.same(await xmlToEpcisDocument(renderEpcisDocumentXml(once)), once)
  t.same(((once.epcisBody as JsonObject).queryResults as JsonObject).subscriptionID, 'sub')
})

t.test('JSON-LD -> xml -> JSON-LD keeps the content of every GS1 JSON example', async (t) => {
  for (const example of JSON_EXAMPLES) {
    const document = readJson(example.path)
    const back = await xmlToEpcisDocument(renderEpcisDocumentXml(document))
    const found = differences(normalisedEvents(document), normalisedEvents(back))
    // XML has no booleans: a JSON boolean in an extension comes back as the string "true".
    const expected =
      example.name === 'Example-TransactionEvents-2020_07_03y.jsonld'
        ? [{ path: '/1/{urn:gs1:epcisapp:rail}vehicle/2/{urn:gs1:epcisapp:rail}vehicleUniquelyIdentified', left: true, right: 'true' }]
        : []
    t.same(found, expected, example.name)
  }
})

interface KnownDifference {
  path: RegExp
  why: string
  /** The value exists in the JSON copy only. */
  jsonOnly?: true
}

function explains(entry: KnownDifference, difference: Difference): boolean {
  return entry.path.test(difference.path) && (!entry.jsonOnly || difference.left === undefined)
}

const ADDED_EVENT_IDS: KnownDifference = { path: /^\/\d+\/eventID$/, why: 'the JSON copy has an eventID (hash or UUID) the XML copy lacks', jsonOnly: true }
const DEEPER_NESTING: KnownDifference = {
  path: /\}(object|array\/5\/\{http:\/\/example\.com\/ext1\}object)\/\{http:\/\/example\.com\/ext[123]\}(object|string|int|array)$/,
  why: 'the JSON copy nests ext2:object (and the object inside ext1:array) one level deeper than the XML copy',
}
const RICHER_JSON: KnownDifference = {
  path: /^\/0\/(certificationInfo|errorDeclaration|ilmd|\{http:\/\/example\.com\/ext1\}\w+|sensorElementList\/0\/\{http:\/\/example\.com\/ext1\}\w+)$/,
  why: 'the JSON copy has fields the XML copy does not: certificationInfo, errorDeclaration, ilmd, more extension fields',
  jsonOnly: true,
}

/** Differences between GS1's XML and JSON copies of the same examples that are not converter bugs. */
const KNOWN_DIFFERENCES: Record<string, KnownDifference[]> = {
  'Example_9.6.1-ObjectEvent-2020_06_18a.xml': [ADDED_EVENT_IDS],
  'WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.xml': [
    { path: /^\/[01]\/inputQuantityList\/0\/(quantity|uom)$/, why: 'the XML input quantity is nil, the JSON copy says 500 KGM' },
    { path: /^\/[01]\/readPoint\/id$/, why: 'the readPoints differ (sgln 4012345.00000.0 in XML, 0614141.07346.1234 in JSON)' },
  ],
  'Example-PersistentDisposition.xml': [
    ADDED_EVENT_IDS,
    { path: /^\/[01]\/(type|parentID|childEPCs|epcList)$/, why: 'the XML has AggregationEvents (parentID, childEPCs), the JSON copy ObjectEvents with an epcList' },
    { path: /^\/1\/(action|bizStep)$/, why: 'the second event is DELETE/unpacking in XML, OBSERVE/inspecting in JSON' },
  ],
  'Example-TransactionEvent-2020_07_03y.xml': [
    { path: /vehicle\/1\/\{urn:gs1:epcisapp:rail\}vehicleMasterGIAI$/, why: 'the empty <rail:vehicleMasterGIAI/> is left out of the JSON copy' },
    { path: /vehicle\/2\/\{urn:gs1:epcisapp:rail\}vehicleUniquelyIdentified$/, why: 'the JSON copy types one "true" as a boolean' },
  ],
  'WithFullCombinationOfFields/aggregation_event_all_possible_fields.xml': [
    ADDED_EVENT_IDS,
    DEEPER_NESTING,
    RICHER_JSON,
    { path: /^\/0\/sensorElementList\/0\/sensorReport\/0\/component$/, why: 'component is example:x in XML, latitude in JSON' },
  ],
  'WithFullCombinationOfFields/association_event_all_possible_fields.xml': [ADDED_EVENT_IDS, DEEPER_NESTING, RICHER_JSON],
  'WithFullCombinationOfFields/object_event_all_possible_fields.xml': [
    DEEPER_NESTING,
    RICHER_JSON,
    ADDED_EVENT_IDS,
    { path: /^\/0\/action$/, why: 'action is OBSERVE in XML, ADD in JSON' },
    { path: /^\/0\/sensorElementList\/0\/\{http:\/\/example\.com\/ext1\}object\/\{http:\/\/example\.com\/ext2\}array$/, why: 'ext2:array has one item in XML, three in JSON' },
  ],
  'WithFullCombinationOfFields/transaction_event_all_possible_fields.xml': [ADDED_EVENT_IDS, DEEPER_NESTING, RICHER_JSON],
  'WithFullCombinationOfFields/transformation_event_all_possible_fields.xml': [
    ADDED_EVENT_IDS,
    DEEPER_NESTING,
    RICHER_JSON,
    {
      path: /^\/0\/ilmd\/\{(urn:epcglobal:cbv:mda|http:\/\/example\.com\/cbvmda)\}\w+$/,
      why: 'the JSON copy redefines the protected cbvmda prefix as http://example.com/cbvmda/ and drops measurementUnitCode',
    },
  ],
  'AssociationEvent/AssociationEventExamples.xml': [
    ADDED_EVENT_IDS,
    { path: /^\/6\/errorDeclaration\/correctiveEventIDs\/0$/, why: 'the corrective event is a UUID in XML, a hash ID in JSON' },
  ],
  'WithSensorData/SensorDataExamples.xml': [
    ADDED_EVENT_IDS,
    { path: /^\/3\/sensorElementList\/0\/sensorReport\/\d\/rawData$/, why: 'the rawData URIs differ' },
    { path: /^\/5\/(epcList\/0|quantityList)$/, why: 'the JSON copy of case 6 adds an EPC and a quantityList' },
    {
      path: /^\/[57]\/sensorElementList\/\d\/(sensorMetadata\/|sensorReport\/0\/)?\{https?:\/\/ns\.example\.com\/epcis\}(someFurtherMetaData|cv|furtherSensorData)$/,
      why: 'the example namespace is https://ns.example.com/epcis in XML, http://... in JSON (and furtherSensorData is one object in XML, a list of one-member objects in JSON)',
    },
    { path: /^\/6\/sensorElementList\/0\/sensorReport\/4\/hexBinaryValue$/, why: 'hexBinaryValue is f0f0f0 in XML, F0F0F0 in JSON' },
    { path: /^\/7\/childEPCs$/, why: 'the XML has an empty <childEPCs/>, the JSON copy none' },
    { path: /^\/7\/sensorElementList\/0\/sensorReport\/[12]\/type$/, why: 'gs1:Molar_concentration (not a GS1 measurement type) in XML, AmountOfSubstancePerUnitVolume in JSON' },
    { path: /^\/8\/sensorElementList\/0\/sensorReport\/[01]\/type$/, why: 'the exception-only sensorReports have no type in XML, Temperature / AbsoluteHumidity in JSON' },
    { path: /^\/9\/sensorElementList\/0\/sensorReport\/\d\/(component|\{http:\/\/ns\.example\.com\/epcis\}feature)$/, why: 'components are example:x/y/z in XML, x/y/z in JSON, which also adds ex:feature' },
    { path: /^\/10\/sensorElementList\/0\/sensorReport\/0\/type$/, why: 'gs1:EffectiveDoseRate (not a GS1 measurement type) in XML, DoseEquivalentRate in JSON' },
    { path: /^\/11\/(errorDeclaration|readPoint|bizLocation|)\/?\{https:\/\/ns\.example2?\.com\/epcis\}\w+$/, why: 'case 12 has different extension fields in each copy' },
    { path: /^\/1[23]\/bizStep$/, why: 'the XML Web URI is misspelt https://ref.gs1.org/cbv/Bizstep-sensor_reporting (CBV: BizStep-), so it is kept as a private URI' },
  ],
}

/** Which GS1 JSON files hold the events of each XML example, in order. */
const PAIRS: Record<string, string[]> = {
  'Example_9.6.1-ObjectEvent-2020_06_18a.xml': ['Example_9.6.1-ObjectEvent.jsonld'],
  'WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.xml': ['WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld'],
  'Example-PersistentDisposition.xml': ['PersistentDisposition-example.jsonld'],
  'Example-TransactionEvent-2020_07_03y.xml': ['Example-TransactionEvents-2020_07_03y.jsonld'],
  ...Object.fromEntries(
    ['aggregation', 'association', 'object', 'transaction', 'transformation'].map((type) => [
      `WithFullCombinationOfFields/${type}_event_all_possible_fields.xml`,
      [`WithFullCombinationOfFields/${type}_event_all_possible_fields.jsonld`],
    ]),
  ),
  'AssociationEvent/AssociationEventExamples.xml': [...'abcdefgh'].map((letter) => `AssociationEvent/AssociationEvent-${letter}.jsonld`),
  // SensorDataExample1b, 13, 16 and 17 have no XML counterpart.
  'WithSensorData/SensorDataExamples.xml': ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '14', '15'].map(
    (number) => `WithSensorData/SensorDataExample${number}.jsonld`,
  ),
}

t.test('the JSON-LD from GS1 XML examples equals the GS1 JSON copies, apart from the listed differences', async (t) => {
  for (const [xmlName, jsonNames] of Object.entries(PAIRS)) {
    const fromXml = await xmlToEpcisDocument(readFileSync(join(EXAMPLES, 'xml', xmlName)))
    const fromJson = jsonNames.flatMap((name) => normalisedEvents(readJson(join(EXAMPLES, 'json', name))) as Json[])
    const found = differences(normalisedEvents(fromXml), fromJson)
    const known = KNOWN_DIFFERENCES[xmlName] ?? []
    const unexplained = found.filter((difference: Difference) => !known.some((entry) => explains(entry, difference)))
    t.same(unexplained, [], `${xmlName}: every difference is a known difference between GS1's copies`)
    for (const entry of known) t.ok(found.some((difference) => explains(entry, difference)), `${xmlName}: still differs: ${entry.why}`)
  }
})
