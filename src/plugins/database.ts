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
}

/** One pg pool and one Kysely instance for the app, migrated before the app listens when asked to. */
export default fp<DatabasePluginOptions>(
  async (app, options) => {
    const pool = createPool(options.connectionString, options.poolSize)
    pool.on('error', (err) => app.log.error({ err }, 'idle database client failed'))
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
