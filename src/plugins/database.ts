import fp from 'fastify-plugin'
import type pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'
import { guardConnectionErrors } from '../db/connection-errors.js'
import { createDb, createPools, routingPool, type Db, type PoolSizes } from '../db/database.js'
import { migrateToLatest } from '../db/migrator.js'
import type { WorkClass } from '../db/work-class.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Kysely over the pool of the current class of work (see src/db/work-class.ts). */
    db: Db
    /** The pool of the current class of work. */
    pool: pg.Pool
    /** Every class's own pool (for tests and metrics). */
    pools: Record<WorkClass, pg.Pool>
  }
}

export interface DatabasePluginOptions {
  connectionString: string
  /** Connections of each class of work's pool (`default`: DATABASE_POOL_SIZE). */
  poolSizes: PoolSizes
  migrate: boolean
  /** statement_timeout of the pool's connections in ms (0: none). */
  statementTimeoutMs?: number
}

/**
 * One pg pool per class of work behind one Kysely instance (each caller gets a connection of its class's
 * pool), migrated before the app listens when asked to.
 */
export default fp<DatabasePluginOptions>(
  async (app, options) => {
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    const pools = createPools(options.connectionString, options.poolSizes, options.statementTimeoutMs)
    for (const [workClass, classPool] of Object.entries(pools)) {
      guardConnectionErrors(classPool, connectionLossLogger(app.log, workClass, () => closing))
    }
    const pool = routingPool(pools)
    const db = createDb(pool)
    app.decorate('pool', pool)
    app.decorate('pools', pools)
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
