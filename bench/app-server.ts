import type { FastifyInstance } from 'fastify'
import { build } from '../src/app.js'
import { configWithDefaults, type Config } from '../src/config.js'

export interface RunningApp {
  app: FastifyInstance
  /** http://127.0.0.1:<port> */
  baseUrl: string
  /** Lines the app logged at level error or worse (e.g. a capture job that threw). */
  errorLog: string[]
  close(): Promise<void>
}

/** The operator key the benchmarked service is started with (ADMIN_API_KEY); every bench request sends it. */
export const BENCH_ADMIN_KEY = 'nguon-bench-operator-key-0123456789abcdef'

/** The headers plus the benchmark's Authorization header. */
export function authorised(headers: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${BENCH_ADMIN_KEY}`, ...headers }
}

/** The real service on an ephemeral local port, so that requests go through HTTP like a client's would. */
export async function startApp(databaseUrl: string, overrides: Partial<Config> = {}): Promise<RunningApp> {
  const config = configWithDefaults({
    LOG_LEVEL: 'silent',
    CAPTURE_WORKER_CONCURRENCY: 2,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    RATE_LIMIT_MAX: 0,
    ...overrides,
  })
  const errorLog: string[] = []
  const app = await build({
    config: { ...config, DATABASE_URL: databaseUrl },
    logger: { level: 'error', stream: { write: (line: string) => void errorLog.push(line.trimEnd()) } },
  })
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, baseUrl, errorLog, close: () => app.close() }
}
