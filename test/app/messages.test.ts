import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { build, captureAndWait } from '../helper.js'

interface ProblemBody {
  type: string
  detail: string
  errors?: Array<{ pointer: string; message: string }>
}

t.test('problems say what was received and what is accepted', async (t) => {
  const app = await build(t)

  t.test('415 names the media type received and the types accepted', async (t) => {
    const capture = await app.inject({ method: 'POST', url: '/capture', headers: { 'content-type': 'text/plain' }, payload: '{}' })
    t.equal(capture.statusCode, 415)
    const problem = capture.json() as ProblemBody
    t.equal(problem.type, 'epcisException:UnsupportedMediaTypeException')
    t.match(problem.detail, /"text\/plain"/)
    for (const type of ['application/json', 'application/ld+json', 'application/xml', 'text/xml']) t.match(problem.detail, type)

    const links = await app.inject({
      method: 'PUT',
      url: '/links/01/09506000134352',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=b',
    })
    t.equal(links.statusCode, 415)
    t.match((links.json() as ProblemBody).detail, /"application\/x-www-form-urlencoded".*accepts application\/json/)
  })

  t.test('a value outside an enum lists the allowed values', async (t) => {
    const response = await app.inject({
      method: 'POST',
      url: '/admin/api-keys',
      payload: { organization: 'nobody', roles: ['superuser'] },
    })
    t.equal(response.statusCode, 400)
    const problem = response.json() as ProblemBody
    const allowed = /must be equal to one of the allowed values: "admin", "capture", "query", "links", "auditor", "authority"/
    t.match(problem.detail, allowed)
    t.match(problem.errors?.[0]?.message, allowed)
    t.match(problem.errors?.[0]?.pointer, '/roles/0')
  })
})

t.test('a bad enum value at start lists the allowed values', async (t) => {
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), {
    message: /env\/LOG_LEVEL must be equal to one of the allowed values: "fatal", "error", "warn", "info", "debug", "trace", "silent"/,
  })
})

t.test('a proceed job that refused events says so next to its status', async (t) => {
  const app = await build(t)
  const job = (await captureAndWait(app, epcisDocument([objectEvent(), objectEvent({ action: 'JUMP' })]), {
    'GS1-Capture-Error-Behaviour': 'proceed',
  })) as unknown as { success: boolean; status: string; storedCount: number; outcome: string; errors: unknown[] }
  t.equal(job.storedCount, 1)
  t.equal(job.status, 'succeeded')
  t.equal(job.success, false, 'EPCIS 2.0: success is false when an error occurred')
  t.equal(job.errors.length, 1)
  t.match(job.outcome, /Some events were captured but errors occurred \(success is false\): 1 stored.*ran to its end \(status succeeded\)/)

  const clean = (await captureAndWait(app, epcisDocument([objectEvent()]))) as unknown as { success: boolean; outcome: string }
  t.equal(clean.success, true)
  t.match(clean.outcome, /^All events were captured: 1 stored/)
})
