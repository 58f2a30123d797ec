import fc from 'fast-check'
import t from 'tap'
import { objectEvent } from '../factories.js'
import { build } from '../helper.js'
import { bearer, buildWorld, named } from './fixtures.js'

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'

const party = fc.constantFrom(
  'urn:epc:id:pgln:8939999.00001',
  'urn:epc:id:pgln:8937777.00001',
  'urn:epc:id:sgln:8934567.00001.0',
  'https://id.gs1.org/417/8934567000017',
  'not a uri',
  '',
)
const text = fc.oneof(fc.string({ maxLength: 40 }), party, fc.constantFrom('%', '_', "'", '\\', '*', '|', 'urn:epc:idpat:sgtin:8934567.*.*'))

/** Capture bodies near the valid ones: some fields replaced by arbitrary or hostile values. */
const captureBody = fc.record(
  {
    bizLocation: fc.record({ id: text }),
    readPoint: fc.record({ id: text }),
    destinationList: fc.array(fc.record({ type: fc.constantFrom('owning_party', 'location', 'x'), destination: text }), { maxLength: 3 }),
    sourceList: fc.array(fc.record({ type: fc.constantFrom('possessing_party', 'location'), source: text }), { maxLength: 2 }),
    epcList: fc.array(text, { maxLength: 3 }),
    eventTime: fc.oneof(fc.constant('2024-05-01T08:00:00.000+07:00'), fc.string({ maxLength: 30 })),
    action: fc.constantFrom('ADD', 'OBSERVE', 'DELETE', 'nope'),
  },
  { requiredKeys: [] },
)

const PARAMS = [
  'EQ_bizLocation', 'EQ_readPoint', 'MATCH_epc', 'MATCH_anyEPC', 'EQ_destination_owning_party', 'EQ_source_location',
  'eventType', 'GE_eventTime', 'LT_recordTime', 'EQ_bizStep', 'orderBy', 'orderDirection', 'perPage', 'nextPageToken',
  'eventCountLimit', 'maxEventCount', 'WD_bizLocation', 'EQ_eventID', 'EXISTS_errorDeclaration', 'EQ_ILMD_x', 'junk',
]
const queryString = fc
  .array(fc.tuple(fc.constantFrom(...PARAMS), text), { maxLength: 4 })
  .map((pairs) => new URLSearchParams(pairs).toString())

t.test('property: hostile capture bodies and query strings never fail and never leak', async (t) => {
  const app = await build(t)
  const world = await buildWorld(app)
  const foreign = [world.events.alphaPrivate, world.events.betaPrivate, world.events.alphaToBeta]

  await fc.assert(
    fc.asyncProperty(captureBody, async (fields) => {
      const event = { '@context': EPCIS_CONTEXT, ...objectEvent(fields as Record<string, unknown>) }
      const response = await app.inject({ method: 'POST', url: '/events', headers: bearer(world.keys.gamma), payload: event })
      return response.statusCode < 500 && named(response.body, foreign).length === 0
    }),
    { numRuns: 60 },
  )
  t.pass('capture: no 500, no foreign event')

  await fc.assert(
    fc.asyncProperty(queryString, fc.constantFrom('/events', '/epcs', '/bizLocations', '/eventTypes/ObjectEvent/events', '/vocabularies'), async (query, path) => {
      const response = await app.inject({ method: 'GET', url: `${path}?${query}`, headers: bearer(world.keys.gamma) })
      const asked = foreign.filter((id) => !decodeURIComponent(query).includes(id))
      return response.statusCode < 500 && named(response.body, asked).length === 0 && !/SECRET1/.test(response.body)
    }),
    { numRuns: 150 },
  )
  t.pass('query: no 500, no foreign event')
})
