import t from 'tap'
import { build } from '../helper.js'

t.test('path and query values that once gave 500 get a 4xx problem', async (t) => {
  const app = await build(t)
  const epc = 'urn:epc:id:sgtin:8934567.012345.1'
  const cases: Array<[string, number, string]> = [
    ['/capture/%00', 400, 'ValidationException'],
    ['/events/%00', 400, 'ValidationException'],
    ['/traceability/recall?epc=%00', 400, 'QueryParameterException'],
    ['/vocabularies?type=%00', 400, 'QueryParameterException'],
    ['/events?EQ_bizStep=a%00b', 400, 'QueryParameterException'],
    [`/traceability/state?epc=${epc}&at=0000-01-01T00:00:00Z`, 400, 'QueryParameterException'],
    [`/traceability/lineage?epc=${epc}&at=0000-12-31T23:00:00-02:00`, 400, 'QueryParameterException'],
    [`/traceability/lineage?epc=${epc}&maxDepth=Infinity`, 400, 'QueryParameterException'],
    [`/traceability/recall?epc=${epc}&maxDepth=1e400`, 400, 'QueryParameterException'],
    ['/capture?perPage=Infinity', 400, 'QueryParameterException'],
  ]
  for (const [url, status, exception] of cases) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, status, `${url}: ${response.body.slice(0, 200)}`)
    t.equal((response.json() as { type: string }).type, `epcisException:${exception}`, url)
  }
  const year1 = await app.inject({ method: 'GET', url: `/traceability/state?epc=${epc}&at=0001-01-01T00:00:00Z` })
  t.equal(year1.statusCode, 404, 'year 0001 is a valid time (nothing is known of the EPC then)')
})
