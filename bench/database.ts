import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js'

export interface BenchServer {
  /** A database on the server to connect to for CREATE DATABASE. */
  adminUrl: string
  kind: string
  stop(): Promise<void>
}

/** BENCH_DATABASE_URL when set, else an embedded PostgreSQL server started for this run. */
export async function startBenchServer(): Promise<BenchServer> {
  const given = process.env.BENCH_DATABASE_URL
  if (given) return { adminUrl: given, kind: 'BENCH_DATABASE_URL', stop: async () => {} }
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-bench-pg-'))
  // The embedded server may run as an unprivileged user that must reach its cluster inside this directory.
  await chmod(dataDir, 0o755)
  const server = await startEmbeddedPostgres({ dataDir, database: 'postgres', persistent: false })
  return {
    adminUrl: server.connectionString,
    kind: 'embedded PostgreSQL',
    stop: async () => {
      await server.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export interface BenchDatabase {
  url: string
  name: string
  drop(): Promise<void>
}

async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}

/** A fresh, empty database for this run on the given server. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `nguon_bench_${Date.now()}_${process.pid}`
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    },
  }
}
