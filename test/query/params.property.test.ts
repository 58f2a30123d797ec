import fc from 'fast-check'
import t from 'tap'
import { QUERY_PARAMETER_NAMES } from '../../src/query/params.js'
import { build } from '../helper.js'

const names = fc.oneof(
  fc.constantFrom(...QUERY_PARAMETER_NAMES, 'perPage', 'nextPageToken'),
  fc.string({ minLength: 1, maxLength: 30 }),
)
const values = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '2024-05-01T00:00:00Z',
    '2024-02-30T25:61:00+07:00',
    'urn:epc:id:sgtin:8934567.012345.1',
    'urn:epc:idpat:sgtin:8934567.*.*',
    'https://id.gs1.org/01/08934567123458/21/1',
    'ObjectEvent|AggregationEvent',
    '|||',
    '%',
    "'; DROP TABLE event; --",
    '1e308',
    '-1',
  ),
)

t.test('no query string produces a 500, and errors are EPCIS problems', async (t) => {
  const app = await build(t)
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(names, values), { maxLength: 5 }), async (pairs) => {
      const params = new URLSearchParams()
      for (const [name, value] of pairs) params.append(name, value)
      const response = await app.inject({ method: 'GET', url: `/events?${params}` })
      if (response.statusCode >= 500) throw new Error(`500 for ?${params}: ${response.body}`)
      if (response.statusCode !== 200) {
        const problem = response.json()
        if (!/^epcisException:\w+Exception$/.test(problem.type)) throw new Error(`not an EPCIS problem: ${response.body}`)
      }
    }),
    { numRuns: 300 },
  )
  t.pass('300 random queries answered without a server error')
})
