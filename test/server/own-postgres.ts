import { mkdtemp, chmod, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.js'
import { isRunning, postmasterPid } from '../../src/db/postmaster.js'
import { freePort, sleep, type TestContext } from './service-process.js'

/** A PostgreSQL server of the test's own, that it can stop (immediately) and start again on the same port. */
export interface OwnPostgres {
  /** URL of the database `nguon` on it. */
  url: string
  /** `pg_ctl stop -m immediate`: SIGQUIT to the postmaster; returns once it is gone. */
  stopImmediately(): Promise<void>
  start(): Promise<void>
  /** Runs SQL as the superuser (on the `nguon` database). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>
}

export async function ownPostgres(t: TestContext): Promise<OwnPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-own-pg-'))
  await chmod(dataDir, 0o755)
  const clusterDir = join(dataDir, 'pg')
  const port = await freePort()
  let server: EmbeddedServer | undefined
  const start = async () => {
    server = await startEmbeddedPostgres({ dataDir, port, database: 'nguon' })
  }
  await start()
  const url = server!.connectionString
  const own: OwnPostgres = {
    url,
    start,
    stopImmediately: async () => {
      const pid = postmasterPid(clusterDir)
      if (pid === undefined) throw new Error('no postmaster running')
      process.kill(pid, 'SIGQUIT')
      while (isRunning(pid)) await sleep(50)
      // That server object's process is gone: it is never stopped again (its stop would wait forever).
      server = undefined
    },
    query: async (text, values) => {
      const client = new pg.Client({ connectionString: url })
      client.on('error', () => undefined)
      await client.connect()
      try {
        return await client.query(text, values)
      } finally {
        await client.end()
      }
    },
  }
  t.teardown(async () => {
    if (server) await server.stop()
    else {
      const pid = postmasterPid(clusterDir)
      if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGQUIT')
    }
    await rm(dataDir, { recursive: true, force: true })
  })
  return own
}
