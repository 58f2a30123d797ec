import fp from 'fastify-plugin'
import type pg from 'pg'
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
    const pools = createPools(options.connectionString, options.poolSizes, options.statementTimeoutMs)
    const pool = routingPool(pools)
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    // An idle client losing its connection is not fatal (the pool replaces it); during shutdown it is expected.
    for (const classPool of Object.values(pools)) {
      classPool.on('error', (err) => {
        if (closing) app.log.debug({ code: (err as { code?: string }).code }, 'database connection closed during shutdown')
        else app.log.warn({ code: (err as { code?: string }).code, message: err.message }, 'idle database connection lost')
      })
    }
    const db = createDb(pool)
    app.decorate('pool', pool)
    app.decorate('pools', pools)
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
    if (options.migrate) await migrateToLatest(db)
  },
  { name: 'database' },
)
