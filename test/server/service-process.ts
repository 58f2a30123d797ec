import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { projectRoot } from '../../src/paths.js'
import { TEST_ADMIN_API_KEY } from '../helper.js'

export interface TestContext {
  teardown(fn: () => unknown): void
}

/** A real service process (`node --import tsx src/server.ts`), as an orchestrator runs it. */
export interface ServiceProcess {
  child: ChildProcess
  url: string
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  /** fetch against the service with the operator key. */
  request(path: string, init?: RequestInit): Promise<Response>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/**
 * Spawns the service with the given environment (DATABASE_URL, DATA_DIR, ...) and waits until
 * `waitFor` answers 200 (unset: don't wait). The test's teardown kills it if it is still running.
 */
export async function startService(
  t: TestContext,
  env: Record<string, string>,
  options: {
    waitFor?: string
    timeoutMs?: number
    /** In a process group of its own, as a terminal runs it. */ detached?: boolean
    /** The port to listen on (a restarted service keeps its address); default: a free one. */
    port?: number
  } = {
    waitFor: '/health/ready',
  },
): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort())
  const base: Record<string, string | undefined> = { ...process.env }
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'LOG_LEVEL', 'NODE_OPTIONS']) delete base[name]
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'server.ts')], {
    cwd: projectRoot,
    env: { ...base, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_API_KEY: TEST_ADMIN_API_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  )
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })
  const url = `http://127.0.0.1:${port}`
  const service: ServiceProcess = {
    child,
    url,
    output: () => output,
    exited,
    request: (path, init = {}) =>
      fetch(url + path, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_API_KEY}`, ...(init.headers ?? {}) } }),
  }
  if (options.waitFor) await waitUntil(service, options.waitFor, options.timeoutMs ?? 90_000)
  return service
}

async function waitUntil(service: ServiceProcess, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let gone = false
  void service.exited.then(() => (gone = true))
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(service.url + path)).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`the service did not answer ${path} in time; its output:\n${service.output()}`)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}
