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

/** The real service on an ephemeral local port, so that requests go through HTTP like a client's would. */
export async function startApp(databaseUrl: string, overrides: Partial<Config> = {}): Promise<RunningApp> {
  const config = configWithDefaults({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 2, ...overrides })
  const errorLog: string[] = []
  const app = await build({
    config: { ...config, DATABASE_URL: databaseUrl },
    logger: { level: 'error', stream: { write: (line: string) => void errorLog.push(line.trimEnd()) } },
  })
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, baseUrl, errorLog, close: () => app.close() }
}
