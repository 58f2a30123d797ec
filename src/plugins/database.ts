import fp from 'fastify-plugin'
import type pg from 'pg'
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
    const pool = createPool(options.connectionString, options.poolSize, options.statementTimeoutMs)
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    // An idle client losing its connection is not fatal (the pool replaces it); during shutdown it is expected.
    pool.on('error', (err) => {
      if (closing) app.log.debug({ code: (err as { code?: string }).code }, 'database connection closed during shutdown')
      else app.log.warn({ code: (err as { code?: string }).code, message: err.message }, 'idle database connection lost')
    })
    const db = createDb(pool)
    app.decorate('pool', pool)
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
    if (options.migrate) await migrateToLatest(db)
  },
  { name: 'database' },
)
