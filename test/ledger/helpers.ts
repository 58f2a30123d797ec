import type { FastifyInstance } from 'fastify'
import type { Config } from '../../src/config.js'
import { buildWithDatabase, type TestApp, type TestContext } from '../helper.js'

/** An operator key for these tests, so they run with or without authentication switched on. */
export const ADMIN_KEY = 'ledger-test-operator-key-0123456789abcdef'
const auth = { authorization: `Bearer ${ADMIN_KEY}` }

export async function ledgerApp(t: TestContext, overrides: Partial<Config> = {}): Promise<TestApp> {
  return buildWithDatabase(t, { ADMIN_API_KEY: ADMIN_KEY, ...overrides })
}

export async function get(app: FastifyInstance, url: string) {
  return app.inject({ method: 'GET', url, headers: auth })
}

/** POST /capture (a JSON-LD document, or XML given as a string), then waits for the job; answers the finished job. */
export async function capture(
  app: FastifyInstance,
  document: unknown,
): Promise<{ captureID: string; success: boolean; storedCount: number; errors: unknown[] }> {
  const xml = typeof document === 'string'
  const accepted = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { ...auth, 'content-type': xml ? 'application/xml' : 'application/ld+json' },
    payload: xml ? document : JSON.stringify(document),
  })
  if (accepted.statusCode !== 202) throw new Error(`capture answered ${accepted.statusCode}: ${accepted.body}`)
  const deadline = Date.now() + 60_000
  for (;;) {
    const job = (await get(app, accepted.headers.location as string)).json()
    if (job.running === false) return job
    if (Date.now() > deadline) throw new Error('capture job still running after 60 s')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export async function postEvent(app: FastifyInstance, event: unknown) {
  return app.inject({
    method: 'POST',
    url: '/events',
    headers: { ...auth, 'content-type': 'application/ld+json' },
    payload: JSON.stringify(event),
  })
}

export async function verify(app: FastifyInstance) {
  const response = await get(app, '/audit/ledger/verify')
  if (response.statusCode !== 200) throw new Error(`verify answered ${response.statusCode}: ${response.body}`)
  return response.json()
}
