import type { FastifyInstance } from 'fastify'
import type { Config } from '../../src/config.js'
import { buildWithDatabase, TEST_ADMIN_API_KEY, type TestContext } from '../helper.js'

/** A repository served over real HTTP on a port of its own, with a database of its own. */
export interface Repository {
  app: FastifyInstance
  url: string
  call(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>
  json<T = any>(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<T>
  /** POST /capture, then the finished job. */
  capture(document: unknown, key?: string, contentType?: string): Promise<Job>
}

export interface Job {
  success: boolean
  storedCount: number
  duplicateCount: number
  errors: unknown[]
  running: boolean
}

export async function repository(t: TestContext, overrides: Partial<Config> = {}): Promise<Repository> {
  const { app } = await buildWithDatabase(t, overrides)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address() as { port: number }
  const url = `http://127.0.0.1:${address.port}`
  const call: Repository['call'] = async (method, path, options = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.key ?? TEST_ADMIN_API_KEY}`,
        ...(options.body !== undefined && typeof options.body !== 'string' ? { 'content-type': 'application/ld+json' } : {}),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    })
  const json: Repository['json'] = async (method, path, options) => {
    const response = await call(method, path, options)
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`)
    return text === '' ? undefined : JSON.parse(text)
  }
  const capture: Repository['capture'] = async (document, key, contentType = 'application/ld+json') => {
    const accepted = await call('POST', '/capture', { key, body: typeof document === 'string' ? document : JSON.stringify(document), headers: { 'content-type': contentType } })
    if (accepted.status !== 202) throw new Error(`capture answered ${accepted.status}: ${await accepted.text()}`)
    const location = accepted.headers.get('location')!.replace(/^.*(\/capture\/)/, '$1')
    const deadline = Date.now() + 60_000
    for (;;) {
      const job = await json<Job>('GET', location)
      if (!job.running) return job
      if (Date.now() > deadline) throw new Error('capture job still running after 60 s')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  return { app, url, call, json, capture }
}
