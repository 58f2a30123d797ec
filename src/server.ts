import closeWithGrace from 'close-with-grace'
import { build } from './app.js'
import { loadConfig, type Config } from './config.js'
import type { EmbeddedServer } from './db/embedded-postgres.js'

function loggerOptions(level: string) {
  // Credentials never reach the logs, whatever a serializer or a debug line includes.
  const redact = ['req.headers.authorization', 'headers.authorization']
  return process.stdout.isTTY
    ? { level, redact, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
    : { level, redact }
}

/** Where a person reaches this instance: PUBLIC_BASE_URL, or the local address it listens on. */
function baseUrl(config: Config): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL.replace(/\/$/, '')
  const host = ['0.0.0.0', '::', '::0'].includes(config.HOST) ? 'localhost' : config.HOST
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`
}

let config: Config
try {
  config = loadConfig()
} catch (error) {
  console.error(`Invalid configuration: ${(error as Error).message}`)
  process.exit(1)
}

let embedded: EmbeddedServer | undefined
if (!config.DATABASE_URL) {
  console.log(`DATABASE_URL is not set: starting the embedded PostgreSQL server (data in ${config.DATA_DIR})`)
  // Imported only here: the embedded-postgres package hooks process signals as soon as it is loaded.
  const { startEmbeddedPostgres, EmbeddedStartError } = await import('./db/embedded-postgres.js')
  try {
    embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, progress: (step) => console.log(step) })
  } catch (error) {
    console.error(error instanceof EmbeddedStartError ? error.message : `The embedded PostgreSQL server could not start: ${String((error as Error)?.stack ?? error)}`)
    process.exit(1)
  }
}

let app: Awaited<ReturnType<typeof build>>
try {
  app = await build({
    config: { ...config, DATABASE_URL: config.DATABASE_URL ?? embedded!.connectionString },
    logger: loggerOptions(config.LOG_LEVEL),
  })
} catch (error) {
  console.error(`The service could not start: ${String((error as Error)?.stack ?? error)}`)
  await embedded?.stop()
  process.exit(1)
}

// SIGTERM/SIGINT: stop taking requests and capture jobs, answer the requests in flight, let running
// capture jobs finish or hand them back (src/capture/worker.ts), then stop the embedded server, last.
closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'closing')
  try {
    await app.close()
  } finally {
    if (embedded) {
      app.log.info('stopping the embedded PostgreSQL server')
      await embedded.stop()
    }
  }
  app.log.info('closed')
})

try {
  await app.listen({ port: config.PORT, host: config.HOST })
  app.log.info(`Nguồn is listening at ${baseUrl(config)}; API documentation at ${baseUrl(config)}/docs`)
} catch (err) {
  app.log.error({ err }, 'could not listen')
  await app.close()
  await embedded?.stop()
  process.exit(1)
}
