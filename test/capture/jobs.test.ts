import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

t.test('capture jobs are listed newest first and paged', async (t) => {
  const app = await build(t)
  const ids: string[] = []
  for (let i = 0; i < 5; i++) ids.push((await captureAndWait(app, epcisDocument([objectEvent()]))).captureID)
  const seen: string[] = []
  let url: string | undefined = '/capture?perPage=2'
  while (url) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 200)
    const page = response.json() as Array<{ captureID: string; success: boolean; createdAt: string; finishedAt: string }>
    t.ok(page.length <= 2)
    for (const job of page) {
      t.equal(job.success, true)
      t.ok(Date.parse(job.finishedAt) >= Date.parse(job.createdAt))
    }
    seen.push(...page.map((j) => j.captureID))
    const link = response.headers.link as string | undefined
    url = link ? /<([^>]+)>/.exec(link)![1] : undefined
  }
  t.same(seen, [...ids].reverse(), 'every job exactly once, newest first')
})

t.test('capture job resources', async (t) => {
  const app = await build(t)
  const missing = await app.inject({ method: 'GET', url: '/capture/no-such-job' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().type, 'epcisException:NoSuchResourceException')
  const forged = await app.inject({ method: 'GET', url: '/capture?nextPageToken=abc.def' })
  t.equal(forged.statusCode, 400)
  t.equal(forged.json().type, 'epcisException:QueryParameterException')
  const options = await app.inject({ method: 'OPTIONS', url: '/capture' })
  t.equal(options.statusCode, 204)
  t.equal(options.headers['gs1-epcis-capture-limit'], '10000')
  t.equal(options.headers['gs1-epcis-capture-file-size-limit'], String(64 * 1024 * 1024))
  t.match(options.headers.allow, /POST/)
})
