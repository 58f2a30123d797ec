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

t.test('a JSON body holding what PostgreSQL cannot store gets 400 on every route that stores it', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string, unknown]> = [
    ['PUT', '/vocabularies/urn:x:t/urn:x:a', { attributes: [{ id: 'urn:x:name', attribute: 'bad \ud800' }] }],
    ['POST', '/queries', { name: 'q\ud800', query: {} }],
    ['POST', '/admin/organizations', { id: 'org1', name: 'bad \udc00' }],
    ['PUT', '/links/01/08934567123457', { itemDescription: 'x\ud800', links: [] }],
    // Percent-encoded é is two bytes: 1,000 of them are 2,000 bytes, past what the indexes take.
    ['PUT', `/vocabularies/urn:x:t/urn:x:${'%C3%A9'.repeat(1000)}`, { attributes: [] }],
  ]
  for (const [method, url, body] of cases) {
    const response = await app.inject({ method: method as 'PUT', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) })
    t.equal(response.statusCode, 400, `${method} ${url.slice(0, 60)}: ${response.body.slice(0, 200)}`)
    t.equal((response.json() as { type: string }).type, 'epcisException:ValidationException')
  }
})
