import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

t.test('bad capture input gets an EPCIS problem and stores nothing', async (t) => {
  const app = await build(t, { CAPTURE_LIMIT: 3, CAPTURE_FILE_SIZE_LIMIT: 4096 })
  const post = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'application/json', ...headers }, payload })
  const problem = (response: { headers: Record<string, unknown>; json(): unknown }) => {
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    return response.json() as { type: string; status: number; detail: string; errors?: Array<{ pointer: string; message: string }> }
  }

  t.test('malformed JSON: 400 ValidationException', async (t) => {
    const response = await post('{"type": "EPCISDocument", ')
    t.equal(response.statusCode, 400)
    t.equal(problem(response).type, 'epcisException:ValidationException')
  })

  t.test('empty body: 400', async (t) => {
    const response = await post('')
    t.equal(response.statusCode, 400)
    t.equal(problem(response).type, 'epcisException:ValidationException')
  })

  t.test('wrong content type: 415 UnsupportedMediaTypeException', async (t) => {
    const response = await post(JSON.stringify(epcisDocument([objectEvent()])), { 'content-type': 'text/plain' })
    t.equal(response.statusCode, 415)
    t.equal(problem(response).type, 'epcisException:UnsupportedMediaTypeException')
  })

  t.test('body over the size limit: 413 CaptureLimitExceededException', async (t) => {
    const big = epcisDocument([objectEvent({ 'example:note': 'x'.repeat(5000) })], [{ example: 'https://example.org/' }])
    const response = await post(JSON.stringify(big))
    t.equal(response.statusCode, 413)
    t.equal(problem(response).type, 'epcisException:CaptureLimitExceededException')
  })

  t.test('more events than the limit: 413 CaptureLimitExceededException', async (t) => {
    const response = await post(JSON.stringify(epcisDocument([objectEvent(), objectEvent(), objectEvent(), objectEvent()])))
    t.equal(response.statusCode, 413)
    const body = problem(response)
    t.equal(body.type, 'epcisException:CaptureLimitExceededException')
    t.match(body.detail, /4 events/)
  })

  t.test('not an EPCIS document: 400', async (t) => {
    const response = await post(JSON.stringify({ type: 'Banana' }))
    t.equal(response.statusCode, 400)
    t.equal(problem(response).type, 'epcisException:ValidationException')
  })

  t.test('schema-invalid event under rollback: 400 with JSON pointers, no job', async (t) => {
    const bad = objectEvent({ action: 'JUMP' })
    const response = await post(JSON.stringify(epcisDocument([objectEvent(), bad])))
    t.equal(response.statusCode, 400)
    const body = problem(response)
    t.equal(body.type, 'epcisException:ValidationException')
    t.ok(body.errors?.some((e) => e.pointer.startsWith('/epcisBody/eventList/1')), 'points at the invalid event')
    const jobs = await app.inject({ method: 'GET', url: '/capture' })
    t.same(jobs.json(), [], 'no capture job was created')
  })

  t.test('a missing required field is named', async (t) => {
    const event = objectEvent()
    delete event.eventTimeZoneOffset
    const response = await post(JSON.stringify(epcisDocument([event])))
    t.equal(response.statusCode, 400)
    t.ok(problem(response).errors?.some((e) => /eventTimeZoneOffset/.test(e.message)))
  })

  t.test('unknown remote @context: 400 without any network request', async (t) => {
    const document = epcisDocument([objectEvent()])
    document['@context'] = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', 'https://evil.example/context.jsonld']
    const response = await post(JSON.stringify(document))
    t.equal(response.statusCode, 400)
    t.match(problem(response).detail, /evil\.example/)
  })

  t.test('invalid GS1-Capture-Error-Behaviour: 400', async (t) => {
    const response = await post(JSON.stringify(epcisDocument([objectEvent()])), { 'gs1-capture-error-behaviour': 'maybe' })
    t.equal(response.statusCode, 400)
  })

  t.test('a NUL character, which PostgreSQL cannot store, is refused up front; an escaped backslash before u0000 is not one', async (t) => {
    const withNul = JSON.stringify(epcisDocument([objectEvent({ 'example:note': 'a\u0000b' })], [{ example: 'https://example.com/' }]))
    t.match(withNul, /\\u0000/)
    for (const contentType of ['application/json', 'application/ld+json']) {
      const response = await post(withNul, { 'content-type': contentType })
      t.equal(response.statusCode, 400, contentType)
      t.equal(problem(response).type, 'epcisException:ValidationException')
    }
    const single = await app.inject({
      method: 'POST',
      url: '/events',
      headers: { 'content-type': 'application/ld+json' },
      payload: JSON.stringify({
        '@context': epcisDocument([], [{ example: 'https://example.com/' }])['@context'],
        ...objectEvent({ 'example:note': 'a\u0000b' }),
      }),
    })
    t.equal(single.statusCode, 400, 'POST /events too')
    const literal = JSON.stringify(epcisDocument([objectEvent({ 'example:note': 'C:\\u0000' })], [{ example: 'https://example.com/' }]))
    t.match(literal, /\\\\u0000/)
    const accepted = await post(literal)
    t.equal(accepted.statusCode, 202, 'a backslash followed by the text u0000 is ordinary text')
  })

  t.test('prototype pollution attempt is refused', async (t) => {
    const response = await post('{"type":"EPCISDocument","__proto__":{"polluted":true}}')
    t.equal(response.statusCode, 400)
    t.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  t.test('proceed stores the valid events and lists the invalid ones', async (t) => {
    const good = objectEvent({ eventID: 'urn:uuid:5c6f6a2e-1c32-4a3c-9f7e-000000000001' })
    const bad = objectEvent({ eventTimeZoneOffset: '+99:00' })
    const job = await captureAndWait(app, epcisDocument([bad, good]), {
      'content-type': 'application/json',
      'gs1-capture-error-behaviour': 'proceed',
    })
    t.equal(job.running, false)
    t.equal(job.success, false, 'success is false when any event was invalid')
    t.equal(job.storedCount, 1)
    t.equal(job.errors.length >= 1, true)
    t.equal(job.errors[0]!.eventIndex, 0)
    t.match(job.errors[0]!.pointer, /^\/epcisBody\/eventList\/0/)
    const found = await app.inject({ method: 'GET', url: `/events?EQ_eventID=${good.eventID}` })
    t.equal((found.json() as { epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } } }).epcisBody.queryResults.resultsBody.eventList.length, 1)
  })

  t.test('proceed still rejects a document whose header is invalid', async (t) => {
    const document = epcisDocument([objectEvent({ action: 'JUMP' })])
    document.creationDate = 'yesterday'
    const response = await post(JSON.stringify(document), { 'gs1-capture-error-behaviour': 'proceed' })
    t.equal(response.statusCode, 400)
  })
})
