import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { eventId, get, namesOf, qs } from './query-helper.js'

const NS = 'https://ns.example.com/epcis/'
const fridgeDevice = 'urn:epc:id:giai:4000001.111'
const truckDevice = 'urn:epc:id:giai:4000001.222'
const probeDevice = 'urn:epc:id:giai:4000001.333'
const method = 'https://example.com/253/4012345000054987'
const rules = 'https://example.com/rules/cold-chain'
const microorganism = 'https://www.ncbi.nlm.nih.gov/taxonomy/1126011'
const substance = 'https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N'

const event = (name: string, extra: Json): Json => ({
  type: 'ObjectEvent',
  eventID: eventId(name),
  eventTime: '2024-05-01T06:00:00.000+07:00',
  eventTimeZoneOffset: '+07:00',
  epcList: ['urn:epc:id:sgtin:8934567.012345.1'],
  action: 'OBSERVE',
  ...extra,
})

const events: Json[] = [
  event('fridge', {
    sensorElementList: [
      {
        sensorMetadata: {
          time: '2024-05-01T03:00:00Z',
          startTime: '2024-05-01T00:00:00Z',
          endTime: '2024-05-01T06:00:00Z',
          deviceID: fridgeDevice,
          dataProcessingMethod: method,
          bizRules: rules,
          'ex:calibrated': '2024-01-01',
        },
        sensorReport: [
          {
            type: 'Temperature',
            value: 4.5,
            uom: 'CEL',
            minValue: 2,
            maxValue: 7.5,
            meanValue: 4.1,
            sDev: 0.3,
            percRank: 50,
            percValue: 4.4,
            'ex:probe': 'P1',
          },
          { type: 'RelativeHumidity', value: 80, uom: 'P1' },
        ],
        'ex:site': 'kho A',
        'ex:location': { 'ex:building': 'B7' },
      },
    ],
  }),
  event('truck', {
    sensorElementList: [
      {
        sensorMetadata: { time: '2024-05-02T03:00:00Z', deviceID: truckDevice },
        sensorReport: [
          { type: 'Temperature', value: 12, uom: 'CEL' },
          { type: 'Temperature', value: 50, uom: 'FAH' },
          { type: 'Temperature', value: 3, uom: 'CEL', deviceID: probeDevice, time: '2024-05-03T03:00:00Z' },
        ],
      },
    ],
  }),
  event('lab', {
    sensorElementList: [
      {
        sensorReport: [
          {
            type: 'gs1:Dimensionless',
            microorganism,
            chemicalSubstance: substance,
            stringValue: 'PASS',
            booleanValue: true,
            hexBinaryValue: 'f0f0f0',
            uriValue: 'https://example.com/report/9',
          },
        ],
      },
    ],
  }),
  event('plain', {}),
]

t.test('sensor data: every parameter, and one sensorReport must satisfy all of them', async (t) => {
  const app = await build(t)
  const job = await captureAndWait(app, epcisDocument(events, [{ ex: NS }]))
  t.ok(job.success, JSON.stringify(job.errors))
  const names = async (query: string) => {
    const answer = await get(app, `/events?${query}`)
    t.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    return namesOf(answer)
  }

  t.test('EXISTS_sensorElementList and times (a report inherits its metadata time)', async (t) => {
    t.same(await names('EXISTS_sensorElementList'), ['fridge', 'truck', 'lab'])
    t.same(await names(qs({ GE_time: '2024-05-02T00:00:00Z' })), ['truck'])
    t.same(await names(qs({ LT_time: '2024-05-02T00:00:00Z' })), ['fridge'])
    t.same(await names(qs({ GE_time: '2024-05-03T00:00:00Z' })), ['truck'], "a report's own time overrides")
    t.same(await names(qs({ GE_time: '2024-06-01T00:00:00Z' })), [])
    t.same(await names(qs({ GE_startTime: '2024-05-01T00:00:00Z', LT_startTime: '2024-05-01T01:00:00Z' })), ['fridge'])
    t.same(await names(qs({ LT_startTime: '2024-05-01T00:00:00Z' })), [])
    t.same(await names(qs({ GE_endTime: '2024-05-01T06:00:00Z' })), ['fridge'])
    t.same(await names(qs({ LT_endTime: '2024-05-01T06:00:00Z' })), [])
  })

  t.test('EQ_ on the report and its metadata', async (t) => {
    t.same(await names('EQ_type=Temperature'), ['fridge', 'truck'])
    t.same(await names(qs({ EQ_type: 'https://gs1.org/voc/Temperature' })), ['fridge', 'truck'])
    t.same(await names('EQ_type=Dimensionless'), ['lab'], 'captured as a CURIE, asked as a bare word')
    t.same(await names('EQ_type=Pressure'), [])
    t.same(await names(qs({ EQ_deviceID: fridgeDevice })), ['fridge'])
    t.same(await names(qs({ EQ_deviceID: 'https://id.gs1.org/8004/4000001111' })), ['fridge'], 'Digital Link')
    t.same(await names(qs({ EQ_deviceID: probeDevice })), ['truck'], "a report's own deviceID")
    t.same(await names(qs({ EQ_deviceID: 'urn:epc:id:giai:4000001.999' })), [])
    t.same(await names(qs({ EQ_dataProcessingMethod: method })), ['fridge'])
    t.same(await names(qs({ EQ_bizRules: rules })), ['fridge'])
    t.same(await names(qs({ EQ_bizRules: 'https://example.com/rules/other' })), [])
    t.same(await names(qs({ EQ_microorganism: microorganism })), ['lab'])
    t.same(await names(qs({ EQ_chemicalSubstance: substance })), ['lab'])
    t.same(await names(qs({ EQ_chemicalSubstance: 'https://identifiers.org/inchikey:OTHER' })), [])
    t.same(await names('EQ_stringValue=PASS'), ['lab'])
    t.same(await names('EQ_stringValue=FAIL'), [])
    t.same(await names('EQ_booleanValue=true'), ['lab'])
    t.same(await names('EQ_booleanValue=false'), [])
    t.same(await names('EQ_hexBinaryValue=F0F0F0'), ['lab'], 'hexBinary is case-insensitive')
    t.same(await names('EQ_hexBinaryValue=00FF'), [])
    t.same(await names(qs({ EQ_uriValue: 'https://example.com/report/9' })), ['lab'])
    t.same(await names(qs({ EQ_uriValue: 'https://example.com/report/8' })), [])
  })

  t.test('values in a unit, converted between units of one dimension', async (t) => {
    t.same(await names('GT_value_CEL=10'), ['truck'], '12 °C; the 80 % humidity is no temperature')
    t.same(await names('GE_value_KEL=280'), ['truck'], '12 °C and 10 °C (50 °F) are above 280 K, 4.5 °C is not')
    t.same(await names('EQ_value_CEL=10'), ['truck'], '50 °F is 10 °C')
    t.same(await names('EQ_value_FAH=50'), ['truck'])
    t.same(await names('EQ_value_CEL=4.5|99'), ['fridge'])
    t.same(await names('LT_value_CEL=4'), ['truck'], 'the 3 °C probe')
    t.same(await names('LE_value_P1=80'), ['fridge'])
    t.same(await names('GE_value_P1=81'), [])
    t.same(await names('GT_minValue_CEL=1'), ['fridge'])
    t.same(await names('GT_minValue_CEL=2'), [])
    t.same(await names('LE_maxValue_CEL=7.5'), ['fridge'])
    t.same(await names('LT_maxValue_CEL=7.5'), [])
    t.same(await names('GE_meanValue_KEL=277'), ['fridge'], '4.1 °C is 277.25 K')
    t.same(await names('LT_meanValue_KEL=277'), [])
    t.same(await names('LT_sDev_KEL=0.5'), ['fridge'], 'a spread of 0.3 °C is a spread of 0.3 K')
    t.same(await names('GT_sDev_CEL=0.3'), [])
    t.same(await names('GE_percValue_CEL=4.4'), ['fridge'])
    t.same(await names('GT_percValue_CEL=4.4'), [])
    t.same(await names('GE_percRank=50'), ['fridge'])
    t.same(await names('GT_percRank=50'), [])
    t.same(await names('EQ_percRank=50'), ['fridge'])
    t.same(await names('LT_percRank=50'), [])
  })

  t.test('all sensor conditions hold for one report', async (t) => {
    t.same(await names('EQ_type=Temperature&GT_value_CEL=10'), ['truck'])
    t.same(await names('EQ_type=RelativeHumidity&GT_value_CEL=10'), [], 'the humidity report has no °C value')
    t.same(await names(qs({ EQ_deviceID: probeDevice, LT_value_CEL: '5' })), ['truck'])
    t.same(await names(qs({ EQ_deviceID: truckDevice, LT_value_CEL: '5' })), [], 'the 3 °C report is the probe\'s')
    t.same(await names(qs({ EQ_deviceID: truckDevice, GE_time: '2024-05-03T00:00:00Z' })), [], 'the late report is the probe\'s')
    t.same(await names(qs({ EQ_type: 'RelativeHumidity', EQ_deviceID: fridgeDevice })), ['fridge'], 'metadata counts for every report')
  })

  t.test('SENSORELEMENT_, SENSORMETADATA_ and SENSORREPORT_ extension fields', async (t) => {
    t.same(await names(qs({ 'EQ_SENSORREPORT_ex:probe': 'P1' })), ['fridge'])
    t.same(await names(qs({ 'EQ_SENSORREPORT_ex:probe': 'P1', EQ_type: 'RelativeHumidity' })), [], 'same report')
    t.same(await names(qs({ 'EQ_SENSORREPORT_ex:probe': 'P1', EQ_type: 'Temperature' })), ['fridge'])
    t.same(await names('EXISTS_SENSORREPORT_ex:probe'), ['fridge'])
    t.same(await names(qs({ 'EQ_SENSORMETADATA_ex:calibrated': '2024-01-01' })), ['fridge'])
    t.same(await names(qs({ 'GE_SENSORMETADATA_ex:calibrated': '2025-01-01T00:00:00Z' })), [])
    t.same(await names(qs({ 'EQ_SENSORELEMENT_ex:site': 'kho A', EQ_type: 'RelativeHumidity' })), ['fridge'])
    t.same(await names(qs({ 'EQ_SENSORELEMENT_ex:site': 'kho B' })), [])
    t.same(await names(qs({ 'EQ_INNER_SENSORELEMENT_ex:building': 'B7' })), ['fridge'])
    t.same(await names(qs({ 'EQ_SENSORELEMENT_ex:building': 'B7' })), [], 'nested, not top-level')
    t.same(await names(qs({ 'EQ_ex:site': 'kho A' })), [], 'not an event field')
  })
})
