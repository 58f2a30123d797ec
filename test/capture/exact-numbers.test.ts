import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { build, waitForJob } from '../helper.js'

type App = Awaited<ReturnType<typeof build>>

/**
 * Numbers no double holds: 12345678901234567 would be 12345678901234568, the sensor value 0.1000000000000000055
 * would be 0.1, 1e-400 would be 0. JSON text written by hand, as a client's serialiser would send it.
 */
const QUANTITY = '12345678901234567'
const SENSOR_VALUE = '0.10000000000000000555'
const EXTENSION = '123456789012345678901234567890.123456789'
const TINY = '1e-400'

function eventJson(serial: number, overrides: { quantity?: string; eventID?: string } = {}): string {
  return `{
    "type": "ObjectEvent", ${overrides.eventID ? `"eventID": "${overrides.eventID}",` : ''}
    "eventTime": "2024-05-01T08:00:00.000+07:00", "eventTimeZoneOffset": "+07:00",
    "epcList": ["urn:epc:id:sgtin:8934567.012345.${serial}"],
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:8934567.012345.LOT1", "quantity": ${overrides.quantity ?? QUANTITY}, "uom": "KGM"}],
    "action": "ADD", "bizStep": "commissioning",
    "readPoint": {"id": "urn:epc:id:sgln:8934567.00001.0"},
    "sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": ${SENSOR_VALUE}, "uom": "CEL"}]}],
    "ilmd": {"vn:trace": ${TINY}},
    "vn:weight": ${EXTENSION}
  }`
}

function documentJson(events: string[]): string {
  return `{"@context": ["${EPCIS_CONTEXT_URL}", {"vn": "https://nguon.example.vn/epcis/"}],
    "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-05-01T09:00:00.000+07:00",
    "epcisBody": {"eventList": [${events.join(',')}]}}`
}

async function capture(app: App, body: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/ld+json', ...headers }, payload: body })
}

async function ledgerValid(app: App): Promise<{ valid: boolean; events: number }> {
  return (await app.inject({ method: 'GET', url: '/audit/ledger/verify' })).json()
}

t.test('numbers a double cannot hold are stored, hashed and answered exactly as sent', async (t) => {
  const app = await build(t)
  const accepted = await capture(app, documentJson([eventJson(1, { eventID: 'urn:uuid:6b0f3f0e-3b7e-4c55-9d7c-1a2b3c4d5e61' })]))
  t.equal(accepted.statusCode, 202, accepted.body)
  const job = await waitForJob(app, accepted.headers.location as string)
  t.equal(job.success, true, JSON.stringify(job.errors))

  const json = await app.inject({ method: 'GET', url: '/events', headers: { 'gs1-epc-format': 'Never_Translates' } })
  for (const literal of [QUANTITY, SENSOR_VALUE, EXTENSION]) {
    t.ok(json.body.includes(`:${literal}`), `JSON answer keeps ${literal}`)
  }
  // jsonb keeps the value, not the spelling: an exponent comes back written out.
  t.ok(json.body.includes(`:0.${'0'.repeat(399)}1`), 'JSON answer keeps the value of 1e-400')
  t.notOk(json.body.includes('12345678901234568'), 'not rounded to the nearest double')

  const xml = await app.inject({ method: 'GET', url: '/events', headers: { accept: 'application/xml' } })
  t.equal(xml.statusCode, 200)
  t.ok(xml.body.includes(`<quantity>${QUANTITY}</quantity>`), 'XML answer keeps the quantity')
  t.ok(xml.body.includes(`value="${SENSOR_VALUE}"`), 'XML answer keeps the sensor value')
  t.ok(xml.body.includes(`>${EXTENSION}<`), 'XML answer keeps the extension value')

  const above = await app.inject({ method: 'GET', url: `/events?GT_quantity=12345678901234566` })
  t.equal(above.json().epcisBody.queryResults.resultsBody.eventList.length, 1, 'GT_quantity compares the exact value')
  const notAbove = await app.inject({ method: 'GET', url: `/events?GT_quantity=${QUANTITY}` })
  t.equal(notAbove.json().epcisBody.queryResults.resultsBody.eventList.length, 0, 'and is not above itself')
  const sensor = await app.inject({ method: 'GET', url: '/events?GT_value_CEL=0.1' })
  t.equal(sensor.json().epcisBody.queryResults.resultsBody.eventList.length, 1, 'the sensor value is above 0.1')

  t.same(await ledgerValid(app), { ...(await ledgerValid(app)), valid: true, events: 1 }, 'the ledger verifies')
})

t.test('the hash comes from the exact text: events differing only beyond a double are two events', async (t) => {
  const app = await build(t)
  const first = await app.inject({
    method: 'POST', url: '/events', headers: { 'content-type': 'application/ld+json' },
    payload: `{"@context": ["${EPCIS_CONTEXT_URL}", {"vn": "https://nguon.example.vn/epcis/"}], ${eventJson(2).trim().slice(1)}`,
  })
  t.equal(first.statusCode, 201, first.body)
  const second = await app.inject({
    method: 'POST', url: '/events', headers: { 'content-type': 'application/ld+json' },
    payload: `{"@context": ["${EPCIS_CONTEXT_URL}", {"vn": "https://nguon.example.vn/epcis/"}], ${eventJson(2, { quantity: '12345678901234568' }).trim().slice(1)}`,
  })
  t.equal(second.statusCode, 201, 'a quantity one unit apart is another event (another hash), not a duplicate')
  t.not(first.headers.location, second.headers.location)
  t.equal((await ledgerValid(app)).valid, true)
})

t.test('a number beyond the range of a double is refused, naming it, and never breaks the ledger', async (t) => {
  const app = await build(t)
  const huge = eventJson(3, { quantity: '1e400' })

  const rollback = await capture(app, documentJson([eventJson(4), huge]))
  t.equal(rollback.statusCode, 400)
  t.equal(rollback.json().type, 'epcisException:ValidationException')
  t.match(JSON.stringify(rollback.json()), '/epcisBody/eventList/1/quantityList/0/quantity', 'names the number')

  const single = await app.inject({
    method: 'POST', url: '/events', headers: { 'content-type': 'application/ld+json' },
    payload: `{"@context": ["${EPCIS_CONTEXT_URL}", {"vn": "https://nguon.example.vn/epcis/"}], ${huge.trim().slice(1)}`,
  })
  t.equal(single.statusCode, 400, 'POST /events refuses it too')
  t.match(single.body, '/quantityList/0/quantity')

  const proceed = await capture(app, documentJson([eventJson(5), huge.replace('"ilmd"', '"vn:x": -2e308, "ilmd"')]), { 'gs1-capture-error-behaviour': 'proceed' })
  t.equal(proceed.statusCode, 202, 'proceed takes the document')
  const job = await waitForJob(app, proceed.headers.location as string)
  t.equal(job.storedCount, 1, 'the valid event is stored')
  t.same(
    job.errors.map((e) => [e.eventIndex, e.pointer]),
    [[1, '/epcisBody/eventList/1/quantityList/0/quantity'], [1, '/epcisBody/eventList/1/vn:x']],
    'the refused event is listed with each number',
  )

  const header = await capture(app, documentJson([eventJson(6)]).replace('"schemaVersion"', '"vn:size": 1e999, "schemaVersion"'), { 'gs1-capture-error-behaviour': 'proceed' })
  t.equal(header.statusCode, 400, 'outside the events, the document is refused even under proceed')

  const report = await ledgerValid(app)
  t.equal(report.valid, true, 'the ledger still verifies')
  t.equal(report.events, 1)
})

t.test('an XML capture keeps its numbers exactly too, and hashes as the JSON of the same event', async (t) => {
  const app = await build(t)
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-05-01T09:00:00.000+07:00">
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2024-05-01T08:00:00.000+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
    <epcList><epc>urn:epc:id:sgtin:8934567.012345.7</epc></epcList>
    <action>OBSERVE</action>
    <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
    <readPoint><id>urn:epc:id:sgln:8934567.00001.0</id></readPoint>
    <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:8934567.012345.LOT1</epcClass><quantity>${QUANTITY}</quantity><uom>KGM</uom></quantityElement></quantityList>
    <sensorElementList><sensorElement><sensorReport type="gs1:Temperature" value="${SENSOR_VALUE}" uom="CEL"/></sensorElement></sensorElementList>
  </ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>`
  const accepted = await app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/xml' }, payload: xml })
  t.equal(accepted.statusCode, 202, accepted.body)
  const job = await waitForJob(app, accepted.headers.location as string)
  t.equal(job.success, true, JSON.stringify(job.errors))
  const json = await app.inject({ method: 'GET', url: '/events' })
  t.ok(json.body.includes(`"quantity":${QUANTITY}`), 'the quantity is exact')
  t.ok(json.body.includes(`"value":${SENSOR_VALUE}`), 'the sensor value is exact')

  const sameEvent = `{"@context": "${EPCIS_CONTEXT_URL}", "type": "ObjectEvent",
    "eventTime": "2024-05-01T08:00:00.000+07:00", "eventTimeZoneOffset": "+07:00",
    "epcList": ["urn:epc:id:sgtin:8934567.012345.7"], "action": "OBSERVE",
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:8934567.012345.LOT1", "quantity": ${QUANTITY}, "uom": "KGM"}],
    "bizStep": "shipping", "readPoint": {"id": "urn:epc:id:sgln:8934567.00001.0"},
    "sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": ${SENSOR_VALUE}, "uom": "CEL"}]}]}`
  const again = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/ld+json' }, payload: sameEvent })
  t.equal(again.statusCode, 409, 'the JSON form of the same event has the same hash: a duplicate')

  const huge = await app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/xml' }, payload: xml.replace(`<quantity>${QUANTITY}`, `<quantity>1${'0'.repeat(400)}`) })
  t.equal(huge.statusCode, 400, 'an XML quantity beyond a double is refused too')
  t.equal((await ledgerValid(app)).valid, true)
})

t.test('master data and named queries keep exact numbers too', async (t) => {
  const app = await build(t)
  const type = 'urn:epcglobal:epcis:vtype:EPCClass'
  const id = 'urn:epc:class:lgtin:8934567.012345.LOT1'
  const put = await app.inject({
    method: 'PUT', url: `/vocabularies/${encodeURIComponent(type)}/${encodeURIComponent(id)}`, headers: { 'content-type': 'application/json' },
    payload: `{"attributes": [{"id": "urn:epcglobal:cbv:mda#netContent", "attribute": ${QUANTITY}}]}`,
  })
  t.equal(put.statusCode, 201, put.body)
  t.ok(put.body.includes(`"attribute":${QUANTITY}`), 'the PUT answer keeps the number')
  const read = await app.inject({ method: 'GET', url: `/vocabularies?type=${encodeURIComponent(type)}` })
  t.ok(read.body.includes(`"attribute":${QUANTITY}`), 'GET /vocabularies keeps the number')
  const huge = await app.inject({
    method: 'PUT', url: `/vocabularies/${encodeURIComponent(type)}/${encodeURIComponent(id)}`, headers: { 'content-type': 'application/json' },
    payload: '{"attributes": [{"id": "urn:epcglobal:cbv:mda#netContent", "attribute": [1, 1e400]}]}',
  })
  t.equal(huge.statusCode, 400, 'master data beyond a double is refused')
  t.match(huge.body, '/attributes/0/attribute/1')

  const accepted = await capture(app, documentJson([eventJson(8)]))
  t.equal((await waitForJob(app, accepted.headers.location as string)).success, true)
  const named = await app.inject({
    method: 'POST', url: '/queries', headers: { 'content-type': 'application/json' },
    payload: '{"name": "heavy", "query": {"GT_quantity": 12345678901234566}}',
  })
  t.equal(named.statusCode, 201, named.body)
  t.ok(named.body.includes('12345678901234566'), 'the definition comes back exactly')
  const run = await app.inject({ method: 'GET', url: '/queries/heavy/events' })
  t.equal(run.json().epcisBody.queryResults.resultsBody.eventList.length, 1, 'and compares exactly')
})
