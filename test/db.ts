import { randomBytes } from 'node:crypto'
import { mkdtemp, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js'

let serverUrl: Promise<string> | undefined

/**
 * The PostgreSQL server for this test process: the one `npm test` started (TEST_DATABASE_URL), or,
 * when a test file is run on its own, an embedded server started for this process.
 */
function server(): Promise<string> {
  serverUrl ??= (async () => {
    if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL
    const dataDir = await mkdtemp(join(tmpdir(), 'nguon-test-pg-'))
    await chmod(dataDir, 0o755)
    const embedded = await startEmbeddedPostgres({ dataDir, database: 'postgres', persistent: false })
    process.once('beforeExit', () => void embedded.stop())
    return embedded.connectionString
  })()
  return serverUrl
}

export interface TestDatabase {
  url: string
  drop(): Promise<void>
}

/** A fresh, empty database of its own for one test file (or one test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = await server()
  const name = `nguon_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
