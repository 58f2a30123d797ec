import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { allPages, eventId, get, namesOf } from './query-helper.js'

const NS = 'https://ns.example.com/epcis/'

const event = (name: string, bizStep: string, extra: Json = {}): Json => ({
  type: 'ObjectEvent',
  eventID: eventId(name),
  eventTime: '2024-05-01T06:00:00.000+07:00',
  eventTimeZoneOffset: '+07:00',
  epcList: [`urn:epc:id:sgtin:8934567.012345.${name}`],
  action: 'OBSERVE',
  bizStep,
  ...extra,
})

t.test('named queries', async (t) => {
  const app = await build(t)
  await captureAndWait(
    app,
    epcisDocument(
      [
        event('s1', 'shipping', { 'ex:grade': 'A' }),
        event('r1', 'receiving'),
        event('s2', 'shipping', { 'ex:grade': 'B' }),
        event('s3', 'shipping', { 'ex:grade': 'A' }),
      ],
      [{ ex: NS }],
    ),
  )
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/queries', payload: body as object, headers })

  t.test('create, read, list, run, delete', async (t) => {
    const created = await post({ name: 'shipments', query: { EQ_bizStep: ['shipping'], eventType: ['ObjectEvent'] } })
    t.equal(created.statusCode, 201, created.body)
    t.equal(created.headers.location, '/queries/shipments')
    t.equal((await post({ name: 'shipments', query: {} })).statusCode, 409, 'the name is taken')
    t.equal((await post({ name: 'shipments', query: {} })).json().type, 'epcisException:ResourceAlreadyExistsException')

    const one = await get(app, '/queries/shipments')
    t.same(one.body, { name: 'shipments', query: { EQ_bizStep: ['shipping'], eventType: ['ObjectEvent'] } })
    const results = await get(app, '/queries/shipments/events')
    t.same(namesOf(results), ['s1', 's2', 's3'])
    t.equal((results.body as { epcisBody: { queryResults: { queryName: string } } }).epcisBody.queryResults.queryName, 'shipments', 'the results name the query')
    const xml = await app.inject({ method: 'GET', url: '/queries/shipments/events', headers: { accept: 'application/xml' } })
    t.match(xml.body, /<queryName>shipments<\/queryName>/, 'in XML too')
    const simple = await get(app, '/events')
    t.equal((simple.body as { epcisBody: { queryResults: { queryName: string } } }).epcisBody.queryResults.queryName, 'SimpleEventQuery')
    const pages = await allPages(app, '/queries/shipments/events?perPage=2')
    t.same(pages.map(namesOf), [['s1', 's2'], ['s3']], 'paged by Link rel="next"')
    t.equal((await get(app, '/queries/shipments/events?EQ_bizStep=receiving')).status, 400, 'its parameters are fixed')

    t.equal((await post({ name: 'a-first', query: { EQ_bizStep: 'receiving' } })).statusCode, 201, 'a single value')
    t.equal((await post({ name: 'z-last', query: { MATCH_epc: 'urn:epc:id:sgtin:8934567.012345.s1' } })).statusCode, 201)
    const listed = await allPages(app, '/queries?perPage=2')
    t.same(
      listed.flatMap((p) => (p.body as unknown as Array<{ name: string }>).map((q) => q.name)),
      ['a-first', 'shipments', 'z-last'],
    )
    t.same(namesOf(await get(app, '/queries/a-first/events')), ['r1'])

    const deleted = await app.inject({ method: 'DELETE', url: '/queries/a-first' })
    t.equal(deleted.statusCode, 204)
    t.equal((await get(app, '/queries/a-first')).status, 404)
    t.equal((await get(app, '/queries/a-first')).body.type, 'epcisException:NoSuchNameException')
    t.equal((await get(app, '/queries/a-first/events')).status, 404)
    t.equal((await app.inject({ method: 'DELETE', url: '/queries/a-first' })).statusCode, 404)
  })

  t.test('extension fields: prefixes from the query @context, GS1-Extensions or captured documents', async (t) => {
    t.equal((await post({ name: 'grade-a', query: { '@context': { g: NS }, 'EQ_g:grade': ['A'] } })).statusCode, 201)
    t.same(namesOf(await get(app, '/queries/grade-a/events')), ['s1', 's3'])
    t.equal((await post({ name: 'grade-b', query: { 'EQ_h:grade': ['B'] } }, { 'GS1-Extensions': `h=${NS}` })).statusCode, 201)
    t.same(namesOf(await get(app, '/queries/grade-b/events')), ['s2'], 'the namespace is kept with the query')
    t.equal((await post({ name: 'grade-ex', query: { 'EQ_ex:grade': 'A', orderBy: 'eventTime', eventCountLimit: 1 } })).statusCode, 201)
    t.same(namesOf(await get(app, '/queries/grade-ex/events')).length, 1)
  })

  t.test('invalid definitions get 400', async (t) => {
    for (const [body, type] of [
      [{ name: 'bad', query: { EQ_colour: ['red'] } }, 'QueryParameterException'],
      [{ name: 'bad', query: { GE_eventTime: 'yesterday' } }, 'QueryParameterException'],
      [{ name: 'bad', query: { 'EQ_zz:grade': ['A'] } }, 'QueryParameterException'],
      [{ name: 'bad', query: { eventCountLimit: 3, maxEventCount: 3, orderBy: 'eventTime' } }, 'QueryParameterException'],
      [{ name: 'bad', query: { perPage: 3 } }, 'QueryParameterException'],
      [{ name: 'bad', query: { EQ_bizStep: { nested: true } } }, 'QueryParameterException'],
      [{ name: 'bad name!', query: {} }, 'ValidationException'],
      [{ query: {} }, 'ValidationException'],
      [{ name: 'bad' }, 'ValidationException'],
      [{ name: 'bad', query: [] }, 'ValidationException'],
    ] as const) {
      const response = await post(body)
      t.equal(response.statusCode, 400, JSON.stringify(body))
      t.equal(response.json().type, `epcisException:${type}`, JSON.stringify(body))
    }
    t.equal((await get(app, '/queries/bad')).status, 404, 'nothing was stored')
  })

  t.test('DELETE /nextPageToken/{token}: tokens are stateless', async (t) => {
    const response = await app.inject({ method: 'DELETE', url: '/nextPageToken/abc' })
    t.equal(response.statusCode, 501)
    t.equal(response.json().type, 'epcisException:ImplementationException')
  })
})
