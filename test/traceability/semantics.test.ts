import { sql } from 'kysely'
import t from 'tap'
import { everyEvent } from '../../src/traceability/visibility.js'
import { walkFrom } from '../../src/traceability/walk.js'
import type { LineageAnswer } from '../../src/traceability/service.js'
import { lineage } from '../../src/traceability/service.js'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { key } from './pork-chain.js'

const item = (n: string) => `urn:epc:id:sgtin:8931111.011111.${n}`
const box = (n: number) => `urn:epc:id:sscc:8931111.${String(2000000000 + n)}`
const lot = (n: string) => `urn:epc:class:lgtin:8931111.022222.${n}`
const truck = 'urn:epc:id:giai:8931111.TRUCK-7'
const logger = 'urn:epc:id:giai:8931111.LOGGER-1'
const here = 'urn:epc:id:sgln:8931111.00001.0'
const store = (n: number) => `urn:epc:id:sgln:8931111.0000${n}.0`

let minute = 0
const time = () => new Date(Date.UTC(2024, 5, 1, 0, minute++)).toISOString()

function event(type: string, fields: Json): Json {
  return { type, eventTime: time(), eventTimeZoneOffset: '+00:00', readPoint: { id: here }, ...fields }
}
const aggregate = (action: string, parent: string, children: string[], type = 'AggregationEvent') =>
  event(type, { parentID: parent, childEPCs: children, action })
const shipTo = (to: string, epcs: string[]) =>
  event('ObjectEvent', {
    epcList: epcs,
    action: 'OBSERVE',
    bizStep: 'shipping',
    destinationList: [{ type: 'location', destination: to }],
  })
const transform = (inputs: string[], outputs: string[]) =>
  event('TransformationEvent', {
    inputQuantityList: inputs.map((c) => ({ epcClass: c, quantity: 1 })),
    outputQuantityList: outputs.map((c) => ({ epcClass: c, quantity: 1 })),
  })

const ids = (answer: LineageAnswer, role?: string) =>
  answer.nodes.filter((n) => role === undefined || n.role === role).map((n) => n.id).sort()
const keys = (...epcs: string[]) => epcs.map(key).sort()

t.test('walk semantics', async (t) => {
  const app = await build(t)
  const events = [
    // Partial DELETE: b leaves box 1, a stays and travels with it.
    aggregate('ADD', box(1), [item('a'), item('b')]),
    aggregate('DELETE', box(1), [item('b')]),
    shipTo(store(1), [box(1)]),
    // OBSERVE puts a child in a parent too; nesting to three levels: item in box 2 in box 3 on the truck.
    aggregate('OBSERVE', box(2), [item('c')]),
    aggregate('ADD', box(3), [box(2)]),
    aggregate('ADD', truck, [box(3)]),
    shipTo(store(2), [truck]),
    // Association: a temperature logger attached to box 3 while it travels.
    aggregate('ADD', logger, [box(3)], 'AssociationEvent'),
    aggregate('DELETE', logger, [], 'AssociationEvent'),
    // A cycle: re-work turns lot X into Y and Y back into X; a box put into its own content.
    transform([lot('X')], [lot('Y')]),
    transform([lot('Y')], [lot('X')]),
    aggregate('ADD', box(4), [box(5)]),
    aggregate('ADD', box(5), [box(4)]),
    // A return: d leaves box 6, goes back in later; box 6 ships in between without it.
    aggregate('ADD', box(6), [item('d')]),
    aggregate('DELETE', box(6), [item('d')]),
    shipTo(store(3), [box(6)]),
    aggregate('ADD', box(6), [item('d')]),
    shipTo(store(4), [box(6)]),
  ]
  t.equal((await captureAndWait(app, epcisDocument(events))).success, true)
  const deps = { db: app.db, pool: app.pool }
  const trace = (epc: string, direction = 'both', maxDepth = 10) =>
    lineage(deps, { epc, direction: direction as 'both', maxDepth })

  t.test('a DELETE of another child leaves the item inside', async (t) => {
    const a = await trace(item('a'), 'downstream')
    t.ok(ids(a, 'destination').includes(key(store(1))))
    const b = await trace(item('b'), 'downstream')
    t.notOk(ids(b, 'destination').includes(key(store(1))), 'b left the box before it shipped')
  })

  t.test('OBSERVE and nested containers to any depth', async (t) => {
    const c = await trace(item('c'), 'upstream')
    t.same(ids(c, 'container'), keys(box(2), box(3), truck, logger))
    t.ok(ids(c, 'destination').includes(key(store(2))), 'the truck shipment reaches the item in the box in the box')
    t.ok(c.edges.some((e) => e.from === key(box(3)) && e.to === key(logger) && e.relation === 'associated_with' && e.until))
  })

  t.test('the contents of a root container are traced, to any depth', async (t) => {
    const up = await trace(box(3), 'upstream')
    t.same(ids(up, 'lineage'), keys(box(2), item('c')), 'what box 3 holds is what it is made of')
    t.ok(up.edges.some((e) => e.from === key(item('c')) && e.to === key(box(2)) && e.relation === 'aggregated_into'))
    const down = await trace(truck, 'downstream')
    t.same(ids(down, 'lineage'), keys(box(3), box(2), item('c')), 'a recall of the truck reaches the item in the box in the box')
  })

  t.test('transformation cycles and containment cycles end', async (t) => {
    const x = await trace(lot('X'))
    t.same(ids(x), keys(lot('X'), lot('Y')))
    t.equal(x.truncated, false)
    const boxes = await trace(box(4))
    t.same(ids(boxes), keys(box(4), box(5)))
  })

  t.test('a return uses the container only while the item was inside', async (t) => {
    const d = await trace(item('d'), 'downstream')
    const destinations = ids(d, 'destination')
    t.ok(destinations.includes(key(store(4))))
    t.notOk(destinations.includes(key(store(3))), 'box 6 shipped to store 3 while d was out')
    t.equal(d.edges.filter((e) => e.relation === 'aggregated_into').length, 2, 'two stays in the same box')
  })

  t.test('the visibility predicate applies inside the walk', async (t) => {
    const hidingTransformations = (alias: string) => sql<boolean>`${sql.ref(`${alias}.event_type`)} <> 'TransformationEvent'`
    await t.rejects(
      lineage(deps, { epc: lot('X'), direction: 'both', maxDepth: 10, visible: hidingTransformations }),
      { code: 'EPCIS_ERR_NO_SUCH_RESOURCE' },
      'no event the caller may see names lot X',
    )
  })

  t.test('a hidden container event hides the trip', async (t) => {
    const hidingTruck = (alias: string) =>
      sql<boolean>`NOT EXISTS (SELECT 1 FROM event_identifier v WHERE v.event_pk = ${sql.ref(`${alias}.id`)}
        AND v.identifier = ${key(truck)} AND v.role = 2)`
    const c = await lineage(deps, { epc: item('c'), direction: 'upstream', maxDepth: 10, visible: hidingTruck })
    t.notOk(ids(c).includes(key(truck)), 'the truck is only reached through an event the caller may not see')
    t.notOk(ids(c, 'destination').includes(key(store(2))))
    t.ok(ids(c).includes(key(box(3))))
  })

  t.test('the node limit truncates', async (t) => {
    const walk = await walkFrom(deps, key(item('c')), {
      direction: 'upstream',
      maxDepth: 10,
      nodeLimit: 2,
      at: null,
      visible: everyEvent,
      withPersistent: false,
    })
    t.equal(walk.nodes.size, 2)
    t.same([...walk.truncatedBy], ['nodeLimit'])
  })
})

t.test('HTTP errors', async (t) => {
  const app = await build(t)
  await captureAndWait(app, epcisDocument([shipTo(store(1), [item('z')])]))
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

  const invalid = await get('/traceability/lineage?epc=urn:epc:id:sgtin:123')
  t.equal(invalid.statusCode, 400)
  t.equal(invalid.json().type, 'epcisException:QueryParameterException')
  t.equal((await get('/traceability/lineage')).statusCode, 400, 'epc is required')
  t.equal((await get(`/traceability/lineage?epc=${item('z')}&maxDepth=0`)).statusCode, 400)
  t.equal((await get(`/traceability/lineage?epc=${item('z')}&maxDepth=51`)).statusCode, 400)
  t.equal((await get(`/traceability/lineage?epc=${item('z')}&direction=sideways`)).statusCode, 400)
  t.equal((await get(`/traceability/state?epc=${item('z')}&at=yesterday`)).statusCode, 400)
  const unknown = await get(`/traceability/state?epc=${item('unknown')}`)
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().type, 'epcisException:NoSuchResourceException')
  t.equal((await get(`/traceability/recall?epc=${item('z')}`, { accept: 'application/xml' })).statusCode, 406)
  const ok = await get(`/traceability/recall?epc=${item('z')}`)
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().items[0].id, key(item('z')))
  const options = await app.inject({ method: 'OPTIONS', url: '/traceability/lineage' })
  t.equal(options.statusCode, 204)
})
