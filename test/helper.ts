import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { build as buildApp, type BuildOptions } from '../src/app.js'
import { configWithDefaults, type Config } from '../src/config.js'
import { projectRoot } from '../src/paths.js'
import { createTestDatabase } from './db.js'

export interface TestContext {
  teardown(fn: () => unknown): void
}

export interface TestApp {
  app: FastifyInstance
  databaseUrl: string
}

/** The operator key every test app accepts (ADMIN_API_KEY): app.inject sends it unless told otherwise. */
export const TEST_ADMIN_API_KEY = 'nguon-test-operator-key-0123456789abcdef'

/**
 * The config of test apps: quiet, one capture worker, the test operator key, and no bound on failed
 * authentications (every injected request comes from one address; test/plugins/rate-limit.test.ts sets one).
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return configWithDefaults({
    LOG_LEVEL: 'silent',
    CAPTURE_WORKER_CONCURRENCY: 1,
    ADMIN_API_KEY: TEST_ADMIN_API_KEY,
    AUTH_FAILURE_LIMIT: 0,
    ...overrides,
  })
}

/**
 * Makes app.inject send `authorization: Bearer <TEST_ADMIN_API_KEY>` when the request names no
 * authorization header; `headers: { authorization: '' }` sends none (for the authentication tests).
 */
export function sendAdminKeyByDefault(app: FastifyInstance): FastifyInstance {
  const inject = app.inject.bind(app) as (options?: InjectOptions | string, callback?: unknown) => unknown
  const withKey = (options: InjectOptions | string | undefined) => {
    if (options === undefined) return options
    const given = typeof options === 'string' ? { url: options } : { ...options }
    const headers: Record<string, unknown> = { ...(given.headers ?? {}) }
    const name = Object.keys(headers).find((key) => key.toLowerCase() === 'authorization')
    if (name === undefined) headers.authorization = `Bearer ${TEST_ADMIN_API_KEY}`
    else if (headers[name] === '') delete headers[name]
    return { ...given, headers } as InjectOptions
  }
  app.inject = ((options?: InjectOptions | string, callback?: unknown) =>
    callback === undefined ? inject(withKey(options)) : inject(withKey(options), callback)) as FastifyInstance['inject']
  return app
}

/** Builds another app (a second instance, say) with the test config; the caller closes it. */
export async function buildTestApp(options: BuildOptions): Promise<FastifyInstance> {
  return sendAdminKeyByDefault(await buildApp(options))
}

/** Builds the app on a fresh database of its own; closes both when the test ends. */
export async function build(t: TestContext, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  return (await buildWithDatabase(t, overrides)).app
}

export async function buildWithDatabase(t: TestContext, overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const config = testConfig(overrides)
  const app = sendAdminKeyByDefault(await buildApp({ config: { ...config, DATABASE_URL: database.url } }))
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  return { app, databaseUrl: database.url }
}

export const fixturesDir = join(projectRoot, 'test', 'fixtures')

export function readFixture(relativePath: string): string {
  return readFileSync(join(fixturesDir, relativePath), 'utf8')
}

export function jsonFixture<T = Record<string, unknown>>(relativePath: string): T {
  return JSON.parse(readFixture(relativePath)) as T
}

export interface CaptureJobView {
  captureID: string
  running: boolean
  success: boolean
  status: string
  storedCount: number
  errors: Array<{ detail: string; pointer?: string; eventIndex?: number }>
}

/** Captures a document through POST /capture and waits for its job to finish. */
export async function captureAndWait(
  app: FastifyInstance,
  document: unknown,
  headers: Record<string, string> = {},
): Promise<CaptureJobView> {
  const response = await app.inject({
    method: 'POST',
    url: '/capture',
    headers: { 'content-type': 'application/ld+json', ...headers },
    payload: typeof document === 'string' ? document : JSON.stringify(document),
  })
  if (response.statusCode !== 202) {
    throw new Error(`capture answered ${response.statusCode}: ${response.body}`)
  }
  return waitForJob(app, response.headers.location as string)
}

export async function waitForJob(app: FastifyInstance, location: string, timeoutMs = 30_000): Promise<CaptureJobView> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await app.inject({ method: 'GET', url: location })
    const job = response.json() as CaptureJobView
    if (!job.running) return job
    if (Date.now() > deadline) throw new Error(`capture job ${location} still running after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
