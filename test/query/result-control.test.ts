import t from 'tap'
import { signCursor, PAGE_TOKEN_LIFETIME_MS } from '../../src/query/page-token.js'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { allPages, eventId, get, namesOf, qs } from './query-helper.js'

const NS = 'https://ns.example.com/epcis/'

const event = (name: string, day: number, extra: Json = {}): Json => ({
  type: 'ObjectEvent',
  eventID: eventId(name),
  eventTime: `2024-05-${String(day).padStart(2, '0')}T06:00:00.000+07:00`,
  eventTimeZoneOffset: '+07:00',
  epcList: [`urn:epc:id:sgtin:8934567.012345.${name}`],
  action: 'OBSERVE',
  bizStep: 'shipping',
  ...extra,
})

t.test('orderBy, orderDirection, eventCountLimit, maxEventCount and paging', async (t) => {
  const app = await build(t)
  // Captured in two documents so that record times differ; event times deliberately out of capture order.
  await captureAndWait(
    app,
    epcisDocument(
      [event('d3', 3, { 'ex:rank': 3 }), event('d1', 1, { 'ex:rank': 10 }), event('d5', 5, { 'ex:rank': '2.5' })],
      [{ ex: NS }],
    ),
  )
  await captureAndWait(
    app,
    epcisDocument([event('d2', 2, { 'ex:rank': '7' }), event('d6', 6, { 'ex:rank': 'abc' }), event('d4', 4)], [{ ex: NS }]),
  )
  const names = async (query: string) => {
    const answer = await get(app, `/events?${query}`)
    t.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    return namesOf(answer)
  }
  const problem = async (query: string) => {
    const answer = await get(app, `/events?${query}`)
    return { status: answer.status, type: answer.body.type as string, detail: answer.body.detail as string }
  }

  t.test('orders', async (t) => {
    t.same(await names(''), ['d3', 'd1', 'd5', 'd2', 'd6', 'd4'], 'no orderBy: the order events were stored in')
    t.same(await names('orderBy=eventTime'), ['d6', 'd5', 'd4', 'd3', 'd2', 'd1'], 'DESC by default')
    t.same(await names('orderBy=eventTime&orderDirection=ASC'), ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'])
    t.same(await names('orderBy=recordTime&orderDirection=ASC'), ['d3', 'd1', 'd5', 'd2', 'd6', 'd4'])
    t.same((await names('orderBy=recordTime')).slice(0, 3).sort(), ['d2', 'd4', 'd6'], 'the later capture first')
    t.same(
      await names(qs({ orderBy: 'ex:rank', orderDirection: 'ASC' })),
      ['d5', 'd3', 'd2', 'd1', 'd6', 'd4'],
      'numbers (also numeric strings) by value, then texts, then events without the field',
    )
    t.same(await names(qs({ orderBy: 'ex:rank', orderDirection: 'DESC' })), ['d6', 'd1', 'd2', 'd3', 'd5', 'd4'])
    t.same(await names(qs({ orderBy: `${NS}rank`, orderDirection: 'ASC' })).then((n) => n[0]), 'd5', 'by full IRI')
  })

  t.test('eventCountLimit: the first N in order, across pages', async (t) => {
    t.same(await names('orderBy=eventTime&orderDirection=DESC&eventCountLimit=1'), ['d6'], 'the most recent event')
    const pages = await allPages(app, '/events?orderBy=eventTime&orderDirection=ASC&eventCountLimit=5&perPage=2')
    t.same(
      pages.map((p) => namesOf(p)),
      [['d1', 'd2'], ['d3', 'd4'], ['d5']],
    )
    t.same(await names('orderBy=eventTime&eventCountLimit=0'), [])
  })

  t.test('maxEventCount', async (t) => {
    t.same((await names('maxEventCount=6')).length, 6)
    const tooMany = await problem('maxEventCount=5')
    t.equal(tooMany.status, 413)
    t.equal(tooMany.type, 'epcisException:QueryTooLargeException')
    t.same(await names('maxEventCount=1&MATCH_epc=urn:epc:id:sgtin:8934567.012345.d1'), ['d1'])
  })

  t.test('forbidden combinations and bad values', async (t) => {
    for (const query of [
      'orderBy=eventTime&eventCountLimit=2&maxEventCount=3',
      'eventCountLimit=2',
      'orderBy=quantity',
      'orderBy=eventTime&orderDirection=UP',
      'orderBy=eventTime&eventCountLimit=-1',
      'maxEventCount=many',
      'orderBy=eventTime&orderBy=recordTime',
      'orderBy=zz:rank',
    ]) {
      const answer = await problem(query)
      t.equal(answer.status, 400, query)
      t.equal(answer.type, 'epcisException:QueryParameterException', query)
      t.match(answer.detail, /orderBy|orderDirection|eventCountLimit|maxEventCount/, `${query}: ${answer.detail}`)
    }
  })

  t.test('every order pages through every event exactly once', async (t) => {
    for (const order of ['', 'orderBy=eventTime', 'orderBy=eventTime&orderDirection=ASC', 'orderBy=recordTime', 'orderBy=ex:rank']) {
      for (const perPage of [1, 2, 4]) {
        const pages = await allPages(app, `/events?${order}&perPage=${perPage}`)
        const seen = pages.flatMap(namesOf)
        t.same(seen, await names(order), `${order || 'storage order'}, ${perPage} per page`)
      }
    }
  })
})

t.test('keyset paging stays exact while events are being captured', async (t) => {
  const app = await build(t)
  const original = Array.from({ length: 30 }, (_, i) => event(`o${i}`, 1 + (i % 28), { 'ex:rank': (i * 7) % 30 }))
  await captureAndWait(app, epcisDocument(original, [{ ex: NS }]))
  let added = 0
  for (const order of ['', 'orderBy=eventTime&orderDirection=ASC', 'orderBy=eventTime', 'orderBy=ex:rank&orderDirection=ASC']) {
    const seen: string[] = []
    let next: string | undefined = `/events?${order}&perPage=7`
    while (next) {
      const page = await get(app, next)
      t.equal(page.status, 200)
      seen.push(...namesOf(page))
      next = page.next
      // New events between pages, with times and ranks among the ones already walked and still to come.
      const batch = [1, 15, 28].map((day) => event(`n${added++}`, day, { 'ex:rank': day }))
      await captureAndWait(app, epcisDocument(batch, [{ ex: NS }]))
    }
    const originals = seen.filter((name) => name.startsWith('o'))
    t.equal(new Set(seen).size, seen.length, `${order || 'storage order'}: no event twice`)
    t.same(originals.sort(), original.map((e) => String(e.eventID).split(':').pop()).sort(), 'every original event once')
  }
})

t.test('page tokens: bound to their query, signed, expiring', async (t) => {
  const app = await build(t)
  await captureAndWait(app, epcisDocument([event('a', 1), event('b', 2), event('c', 3)]))
  const first = await get(app, '/events?perPage=1&orderBy=eventTime')
  t.ok(first.next)
  t.ok(first.headers['gs1-next-page-token-expires'], 'GS1-Next-Page-Token-Expires')
  const token = new URL(first.next!, 'http://x').searchParams.get('nextPageToken')!
  const moved = await get(app, `/events?perPage=1&orderBy=recordTime&nextPageToken=${encodeURIComponent(token)}`)
  t.equal(moved.status, 400, 'not for another query')
  const forged = await get(app, `/events?perPage=1&orderBy=eventTime&nextPageToken=${encodeURIComponent(`${token.slice(0, -3)}abc`)}`)
  t.equal(forged.status, 400)
  t.equal(forged.body.type, 'epcisException:QueryParameterException')
  const payload = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { s: string; c: unknown }
  const expired = signCursor(app.pageTokenKey, payload.s, payload.c, Date.now() - PAGE_TOKEN_LIFETIME_MS - 1000)
  const late = await get(app, `/events?perPage=1&orderBy=eventTime&nextPageToken=${encodeURIComponent(expired)}`)
  t.equal(late.status, 400)
  t.match(late.body.detail, /expired/)
  const fresh = signCursor(app.pageTokenKey, payload.s, payload.c)
  t.equal((await get(app, `/events?perPage=1&orderBy=eventTime&nextPageToken=${encodeURIComponent(fresh)}`)).status, 200)
})
