import closeWithGrace from 'close-with-grace'
import { build } from './app.js'
import { loadConfig } from './config.js'
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded-postgres.js'

function loggerOptions(level: string) {
  // Credentials never reach the logs, whatever a serializer or a debug line includes.
  const redact = ['req.headers.authorization', 'headers.authorization']
  return process.stdout.isTTY
    ? { level, redact, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
    : { level, redact }
}

let config
try {
  config = loadConfig()
} catch (error) {
  console.error(`Invalid configuration: ${(error as Error).message}`)
  process.exit(1)
}

let embedded: EmbeddedServer | undefined
if (!config.DATABASE_URL) {
  console.log(`DATABASE_URL is not set: starting the embedded PostgreSQL server (data in ${config.DATA_DIR})`)
  embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR })
}

const app = await build({
  config: { ...config, DATABASE_URL: config.DATABASE_URL ?? embedded!.connectionString },
  logger: loggerOptions(config.LOG_LEVEL),
})
if (embedded) app.addHook('onClose', async () => embedded!.stop())

closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'closing')
  await app.close()
})

try {
  await app.listen({ port: config.PORT, host: config.HOST })
} catch (err) {
  app.log.error({ err }, 'could not listen')
  await app.close()
  process.exit(1)
}
