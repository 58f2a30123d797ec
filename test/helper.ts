import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { build as buildApp } from '../src/app.js'
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

/** Builds the app on a fresh database of its own; closes both when the test ends. */
export async function build(t: TestContext, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  return (await buildWithDatabase(t, overrides)).app
}

export async function buildWithDatabase(t: TestContext, overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const config = configWithDefaults({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 1, ...overrides })
  const app = await buildApp({ config: { ...config, DATABASE_URL: database.url } })
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
