/** Every bad subscription body is a 400 SubscriptionControlsException naming the field; SSRF refusals; the schedule grammar. */
import t from 'tap'
import { checkDestination, isPublicAddress, parseDestinationPolicy } from '../../src/subscriptions/destination-guard.js'
import { nextScheduledTime, parseSchedule } from '../../src/subscriptions/schedule.js'
import { signatureHeader } from '../../src/subscriptions/signer.js'
import { postDelivery } from '../../src/subscriptions/webhook-sender.js'
import { build } from '../helper.js'
import { createNamedQuery } from './helpers.js'
import { startReceiver, verifySignature } from './receiver.js'

t.test('the schedule grammar', async (t) => {
  const at = (iso: string, schedule: Record<string, string>) => nextScheduledTime(parseSchedule(schedule), new Date(iso))?.toISOString()
  t.equal(at('2026-01-01T00:00:00Z', { hour: '1', minute: '5', second: '0' }), '2026-01-01T01:05:00.000Z')
  t.equal(at('2026-01-01T01:05:00Z', { hour: '1', minute: '5', second: '0' }), '2026-01-02T01:05:00.000Z', 'strictly after')
  t.equal(at('2026-01-01T00:00:00Z', { minute: '[10-12],30', second: '0' }), '2026-01-01T00:10:00.000Z')
  t.equal(at('2026-01-01T00:12:00Z', { minute: '[10-12],30', second: '0' }), '2026-01-01T00:30:00.000Z')
  t.equal(at('2026-01-01T00:00:00Z', { dayOfWeek: '1', hour: '0', minute: '0', second: '0' }), '2026-01-05T00:00:00.000Z', '1 is Monday')
  t.equal(at('2026-01-01T00:00:00Z', { dayOfWeek: '7', hour: '0', minute: '0', second: '0' }), '2026-01-04T00:00:00.000Z', '7 is Sunday')
  t.equal(at('2026-03-01T00:00:00Z', { month: '2', dayOfMonth: '29', hour: '0', minute: '0', second: '0' }), '2028-02-29T00:00:00.000Z', 'the next 29 February')
  t.equal(at('2026-01-01T00:00:00.500Z', {}), '2026-01-01T00:00:01.000Z', 'omitted fields match every value')
  t.equal(at('2026-01-01T23:59:59Z', { second: '[0-5]' }), '2026-01-02T00:00:00.000Z', 'across midnight')
  t.equal(at('2026-12-31T23:59:59Z', { month: '1', dayOfMonth: '1', hour: '0', minute: '0', second: '0' }), '2027-01-01T00:00:00.000Z')

  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{ second: '60' }, /schedule\.second/],
    [{ minute: '-1' }, /schedule\.minute/],
    [{ hour: '24' }, /schedule\.hour/],
    [{ dayOfMonth: '0' }, /schedule\.dayOfMonth/],
    [{ month: '13' }, /schedule\.month/],
    [{ dayOfWeek: '0' }, /schedule\.dayOfWeek/],
    [{ dayOfWeek: '8' }, /schedule\.dayOfWeek/],
    [{ hour: '[5-2]' }, /schedule\.hour.*ends before/],
    [{ hour: '[1-30]' }, /schedule\.hour.*outside/],
    [{ hour: '1-3' }, /schedule\.hour/],
    [{ hour: '1,,2' }, /schedule\.hour/],
    [{ hour: '' }, /schedule\.hour/],
    [{ hour: ' 1' }, /schedule\.hour/],
    [{ hour: '001' }, /schedule\.hour/],
    [{ hour: true }, /schedule\.hour/],
    [{ weekday: '1' }, /schedule\.weekday/],
    [{ month: '2', dayOfMonth: '30' }, /schedule\.dayOfMonth.*no date/],
  ]
  for (const [schedule, message] of refused) {
    t.throws(() => parseSchedule(schedule), { statusCode: 400, exception: 'SubscriptionControlsException', message }, JSON.stringify(schedule))
  }
})

t.test('a delivery written in pieces arrives as their bytes, signed over all of them', async (t) => {
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  const pieces = [Buffer.from('{"a":"'), Buffer.from('Nguồn ✓ '.repeat(20_000)), Buffer.from(''), Buffer.from('"}')]
  const whole = Buffer.concat(pieces)
  const signature = signatureHeader('tok', pieces)
  t.equal(signature, signatureHeader('tok', whole), 'the same signature as over the joined bytes')
  const outcome = await postDelivery({ policy: parseDestinationPolicy('any'), connectTimeoutMs: 1000, totalTimeoutMs: 5000 }, receiver.url, pieces, {
    'GS1-Signature': signature,
  })
  t.match(outcome, { ok: true })
  const [delivery] = receiver.deliveries
  t.ok(delivery!.body.equals(whole), 'every byte, in order')
  t.equal(delivery!.headers['content-length'], String(whole.length), 'Content-Length counts bytes, not characters')
  t.ok(verifySignature(delivery!.headers['gs1-signature'] as string, delivery!.body, 'tok'))
})

t.test('destination addresses', async (t) => {
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '224.0.0.1',
    '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '64:ff9b::7f00:1', '2002:7f00:1::1', 'ff02::1']) {
    t.notOk(isPublicAddress(address), `${address} is not public`)
  }
  for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) t.ok(isPublicAddress(address), `${address} is public`)
  await t.rejects(checkDestination('http://localhost:9/x', parseDestinationPolicy('public')), /resolves to/, 'a name resolving to loopback')
  await t.resolves(checkDestination('http://127.0.0.1:9/x', parseDestinationPolicy('any')))
  await t.rejects(checkDestination('http://other.example:9/x', parseDestinationPolicy('hooks.example, receiver.example')), /not one of/)
  await t.resolves(checkDestination('https://Receiver.example/x', parseDestinationPolicy('hooks.example,receiver.example')))

  // At delivery time too (the check is done again, at the connection).
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  const settings = { policy: parseDestinationPolicy('public'), connectTimeoutMs: 500, totalTimeoutMs: 1000 }
  const direct = await postDelivery(settings, receiver.url, Buffer.from('{}'), {})
  t.match(direct, { ok: false, error: /destination refused/ })
  const byName = await postDelivery(settings, `http://localhost:${receiver.port}/hook`, Buffer.from('{}'), {})
  t.match(byName, { ok: false, error: /destination refused/ })
  t.equal(receiver.deliveries.length, 0, 'nothing reached the loopback receiver')
  const allowed = await postDelivery({ ...settings, policy: parseDestinationPolicy('localhost') }, `http://localhost:${receiver.port}/hook`, Buffer.from('{}'), {})
  t.match(allowed, { ok: true, status: 200 }, 'a listed host may be on loopback')
})

t.test('bad bodies and SSRF at creation', async (t) => {
  const app = await build(t)
  await createNamedQuery(app, 'all-shipping', { EQ_bizStep: ['shipping'] })
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/queries/all-shipping/subscriptions', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) })
  const dest = 'https://93.184.215.14/hook'
  const cases: Array<[unknown, string]> = [
    [{ stream: true }, 'dest'],
    [{ dest: 42, stream: true }, 'dest'],
    [{ dest: '', stream: true }, 'dest'],
    [{ dest: 'not a url', stream: true }, 'dest'],
    [{ dest: 'ftp://93.184.215.14/x', stream: true }, 'dest'],
    [{ dest: 'file:///etc/passwd', stream: true }, 'dest'],
    [{ dest: 'http://127.0.0.1:8080/hook', stream: true }, 'dest'],
    [{ dest: 'http://localhost/hook', stream: true }, 'dest'],
    [{ dest: 'http://[::1]/hook', stream: true }, 'dest'],
    [{ dest: 'http://[::ffff:127.0.0.1]/hook', stream: true }, 'dest'],
    [{ dest: 'http://0.0.0.0/hook', stream: true }, 'dest'],
    [{ dest: 'http://169.254.169.254/latest/meta-data', stream: true }, 'dest'],
    [{ dest: 'http://10.0.0.5/hook', stream: true }, 'dest'],
    [{ dest: 'http://192.168.1.10/hook', stream: true }, 'dest'],
    [{ dest: 'http://2130706433/hook', stream: true }, 'dest'],
    [{ dest }, 'schedule'],
    [{ dest, stream: false }, 'schedule'],
    [{ dest, stream: true, schedule: { hour: '1' } }, 'stream'],
    [{ dest, stream: 'yes' }, 'stream'],
    [{ dest, stream: true, reportIfEmpty: true }, 'reportIfEmpty'],
    [{ dest, schedule: { hour: '1' }, reportIfEmpty: 'no' }, 'reportIfEmpty'],
    [{ dest, schedule: 'hourly' }, 'schedule'],
    [{ dest, schedule: { hour: '25' } }, 'schedule.hour'],
    [{ dest, schedule: { minute: '[30-10]' } }, 'schedule.minute'],
    [{ dest, schedule: { sec: '1' } }, 'schedule.sec'],
    [{ dest, stream: true, signatureToken: '' }, 'signatureToken'],
    [{ dest, stream: true, signatureToken: 12 }, 'signatureToken'],
    [{ dest, stream: true, initialRecordTime: 'yesterday' }, 'initialRecordTime'],
    [{ dest, stream: true, initialRecordTime: '2026-02-30T00:00:00Z' }, 'initialRecordTime'],
    [{ dest, stream: true, secret: 'x' }, 'secret'],
    [{ dest, stream: true, extra: 1 }, 'extra'],
    [[], 'body'],
    ['text', 'body'],
  ]
  for (const [body, field] of cases) {
    const response = await post(body)
    t.equal(response.statusCode, 400, `${JSON.stringify(body)}: 400`)
    t.match(response.headers['content-type'], /application\/problem\+json/)
    const problem = response.json()
    t.equal(problem.type, 'epcisException:SubscriptionControlsException', JSON.stringify(body))
    t.ok(String(problem.detail).startsWith(`${field}:`), `${JSON.stringify(body)} names ${field}: ${problem.detail}`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/queries/all-shipping/subscriptions' })).json().length, 0, 'nothing stored')

  const missing = await app.inject({ method: 'POST', url: '/queries/nope/subscriptions', payload: { dest, stream: true } })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().type, 'epcisException:NoSuchNameException')
  const badFormat = await post({ dest, stream: true }, { 'GS1-EPC-Format': 'Sometimes' })
  t.equal(badFormat.statusCode, 400)

  const ok = await post({ dest, schedule: { hour: '1', minute: '5', second: '0' }, reportIfEmpty: true }, { 'GS1-EPC-Format': 'Always_EPC_URN' })
  t.equal(ok.statusCode, 201)
  const created = ok.json()
  t.equal(ok.headers.location, `/queries/all-shipping/subscriptions/${created.subscriptionID}`)
  t.same(created.schedule, { hour: '1', minute: '5', second: '0' })
  t.equal(created.reportIfEmpty, true)
  t.equal(created.epcFormat, 'Always_EPC_URN')
  t.notOk('stream' in created)
  const options = await app.inject({ method: 'OPTIONS', url: '/queries/all-shipping/subscriptions', headers: { authorization: '' } })
  t.equal(options.statusCode, 204)
  t.match(options.headers.allow, /POST/)
  const optionsOne = await app.inject({ method: 'OPTIONS', url: `/queries/all-shipping/subscriptions/${created.subscriptionID}`, headers: { authorization: '' } })
  t.match(optionsOne.headers.allow, /DELETE/)
  t.equal((await app.inject({ method: 'GET', url: '/queries/all-shipping/subscriptions/not-a-uuid' })).statusCode, 404)

  // DELETE /queries/{queryName} ends its subscriptions.
  t.equal((await app.inject({ method: 'DELETE', url: '/queries/all-shipping' })).statusCode, 204)
  t.equal((await app.inject({ method: 'GET', url: `/queries/all-shipping/subscriptions/${created.subscriptionID}` })).statusCode, 404)
})
