import fc from 'fast-check'
import t from 'tap'
import { QUERY_PARAMETER_NAMES } from '../../src/query/params.js'
import { build, captureAndWait, jsonFixture } from '../helper.js'

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,12}$/)
const op = fc.constantFrom('EQ', 'GT', 'GE', 'LT', 'LE', 'EXISTS', 'NE', '')
const uom = fc.oneof(fc.constantFrom('CEL', 'KEL', 'FAH', 'KGM', 'GRM', 'P1', 'A93', 'XYZ', 'kgm', 'C', 'TOOLONG'), word)
const prefix = fc.constantFrom('ex', 'ext1', 'ext2', 'cbvmda', 'gs1', 'unknown', 'https', 'urn', '')
const fieldName = fc.oneof(
  fc.tuple(prefix, word).map(([p, w]) => `${p}:${w}`),
  fc.constantFrom('https://ns.example.com/epcis/lotCode', 'http://example.com/ext1/float', 'urn:epcglobal:cbv:mda:lotNumber'),
  word,
)
const scope = fc.constantFrom('', 'INNER_', 'ILMD_', 'INNER_ILMD_', 'ERROR_DECLARATION_', 'INNER_ERROR_DECLARATION_',
  'SENSORELEMENT_', 'SENSORMETADATA_', 'SENSORREPORT_', 'INNER_SENSORREPORT_', 'readPoint_', 'INNER_bizLocation_')

/** Parameter names drawn from the grammar of EPCIS 2.0 section 8.2.7.1, and beside it. */
const names = fc.oneof(
  fc.constantFrom(...QUERY_PARAMETER_NAMES),
  fc.tuple(fc.constantFrom('bizTransaction', 'source', 'destination'), word).map(([list, type]) => `EQ_${list}_${type}`),
  fc.tuple(op, uom).map(([o, u]) => `${o}_quantity_${u}`),
  fc.tuple(op, fc.constantFrom('value', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percValue', 'percRank'), uom).map(
    ([o, m, u]) => `${o}_${m}_${u}`,
  ),
  fc.tuple(op, scope, fieldName).map(([o, s, f]) => `${o}_${s}${f}`),
  fc.tuple(fc.constantFrom('readPoint', 'bizLocation', 'bizStep', 'disposition', 'ex:supplier', 'epc'), fieldName).map(
    ([f, a]) => `EQ_ATTR_${f}_${a}`,
  ),
  fieldName.map((f) => `HASATTR_${f}`),
  fc.constantFrom('toString', '__proto__', 'constructor', 'HASATTR_toString', 'EQ_ATTR_constructor_x', 'EQ_constructor:x',
    'EQ_hasOwnProperty:x', 'EQ_value_toString', 'GT_quantity___proto__', 'EQ_source___proto__', 'orderBy'),
  fc.string({ minLength: 1, maxLength: 30 }),
)

const values = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 190, maxLength: 260 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.date({ min: new Date(-8e15), max: new Date(8e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2024-05-01T00:00:00Z',
    '2024-05-01T00:00:00+07:00',
    '2024-02-30T25:61:00+07:00',
    '2024-02-30T10:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999999999-14:00',
    'urn:epc:id:sgtin:8934567.012345.1',
    'urn:epc:idpat:sgtin:8934567.*.*',
    'urn:epc:idpat:sgtin:*.*.*',
    'urn:epc:id:sgln:8934567.00001.0',
    'https://id.gs1.org/01/08934567123457/21/1',
    'https://id.gs1.org/01/0893456712345',
    'ObjectEvent|AggregationEvent',
    'shipping|urn:epcglobal:cbv:bizstep:receiving',
    'Temperature',
    '|||',
    '%',
    '_',
    '\\',
    "'; DROP TABLE event; --",
    '1e308',
    '1e-400',
    '-0',
    'NaN',
    'Infinity',
    'true',
    'false',
    'eventTime',
    'ex:rank',
    'ASC',
    'DESC',
    '\u0000',
    'Lâm Đồng',
  ),
)

const headers = fc.oneof(
  fc.constant({}),
  fc.constantFrom('ex=https://ns.example.com/epcis/', 'ex=', '=x', 'ex=not a uri, y=urn:x:', ',,,').map((h) => ({ 'GS1-Extensions': h })),
  fc.constantFrom('Always_EPC_URN', 'Never_Translates', 'bogus').map((h) => ({ 'GS1-EPC-Format': h })),
)

function checkAnswer(statusCode: number, body: string, what: string): void {
  if (statusCode >= 500 && statusCode !== 501) throw new Error(`${statusCode} for ${what}: ${body}`)
  if (statusCode >= 400) {
    const problem = JSON.parse(body) as { type?: string }
    if (!/^epcisException:\w+Exception$/.test(problem.type ?? '')) throw new Error(`not an EPCIS problem for ${what}: ${body}`)
  }
}

t.test('no query input produces a 500, and errors are EPCIS problems', async (t) => {
  const app = await build(t)
  for (const fixture of [
    'gs1/epcis-examples/json/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld',
    'gs1/epcis-examples/json/WithSensorData/SensorDataExample1.jsonld',
    'gs1/epcis-examples/json/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld',
  ]) {
    await captureAndWait(app, jsonFixture(fixture))
  }

  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(names, fc.array(values, { minLength: 1, maxLength: 3 })), { maxLength: 5 }), headers, async (pairs, extra) => {
      const params = new URLSearchParams()
      for (const [name, given] of pairs) params.append(name, given.join('|'))
      const url = `/events?${params}`
      const response = await app.inject({ method: 'GET', url, headers: extra })
      checkAnswer(response.statusCode, response.body, url)
    }),
    { numRuns: 500 },
  )
  t.pass('500 random queries on /events answered without a server error')

  const resources = fc.constantFrom('eventTypes', 'epcs', 'bizSteps', 'bizLocations', 'readPoints', 'dispositions')
  await fc.assert(
    fc.asyncProperty(resources, values, fc.constantFrom('', '/events'), fc.tuple(names, values), async (resource, id, tail, [name, value]) => {
      const url = `/${resource}/${encodeURIComponent(id || 'x')}${tail}?${new URLSearchParams({ [name]: value })}`
      const response = await app.inject({ method: 'GET', url })
      checkAnswer(response.statusCode, response.body, url)
    }),
    { numRuns: 150 },
  )
  t.pass('150 random resource requests answered without a server error')

  const queryValue = fc.oneof(values, fc.array(values, { maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null), fc.object())
  await fc.assert(
    fc.asyncProperty(word, fc.dictionary(names, queryValue, { maxKeys: 4 }), async (name, query) => {
      const response = await app.inject({ method: 'POST', url: '/queries', payload: { name, query } })
      checkAnswer(response.statusCode, response.body, JSON.stringify(query))
      if (response.statusCode === 201) {
        const events = await app.inject({ method: 'GET', url: `/queries/${name}/events` })
        checkAnswer(events.statusCode, events.body, `/queries/${name}/events`)
        await app.inject({ method: 'DELETE', url: `/queries/${name}` })
      }
    }),
    { numRuns: 150 },
  )
  t.pass('150 random named queries answered without a server error')
})
