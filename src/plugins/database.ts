import fp from 'fastify-plugin'
import type pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'
import { guardConnectionErrors } from '../db/connection-errors.js'
import { createDb, createPool, type Db } from '../db/database.js'
import { migrateToLatest } from '../db/migrator.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    pool: pg.Pool
  }
}

export interface DatabasePluginOptions {
  connectionString: string
  poolSize: number
  migrate: boolean
  /** statement_timeout of the pool's connections in ms (0: none). */
  statementTimeoutMs?: number
}

/** One pg pool and one Kysely instance for the app, migrated before the app listens when asked to. */
export default fp<DatabasePluginOptions>(
  async (app, options) => {
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    const pool = guardConnectionErrors(
      createPool(options.connectionString, options.poolSize, options.statementTimeoutMs),
      connectionLossLogger(app.log, 'database', () => closing),
    )
    const db = createDb(pool)
    app.decorate('pool', pool)
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
    if (options.migrate) {
      app.log.info('applying database migrations')
      const { results } = await migrateToLatest(db)
      app.log.info(results?.length ? `applied ${results.length} migration(s)` : 'the database schema is up to date')
    }
  },
  { name: 'database' },
)

/** Logs a lost connection: a warning while running, a debug line once the app is closing. */
export function connectionLossLogger(log: FastifyBaseLogger, pool: string, closing: () => boolean): (err: Error) => void {
  return (err) => {
    const fields = { pool, code: (err as { code?: string }).code, message: err.message }
    if (closing()) log.debug(fields, 'database connection closed during shutdown')
    else log.warn(fields, 'database connection lost')
  }
}
