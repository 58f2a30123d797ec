import fp from 'fastify-plugin'
import pg from 'pg'
import PgBoss from 'pg-boss'
import { connectionLossLogger } from './database.js'
import { guardConnectionErrors, isDatabaseUnavailable } from '../db/connection-errors.js'
import { CompiledQuery, type Kysely, type Transaction } from 'kysely'

declare module 'fastify' {
  interface FastifyInstance {
    queue: PgBoss
  }
}

/** Lets pg-boss write its job inside one of our Kysely transactions, so job and data commit together. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function queueConnection(trx: Kysely<any> | Transaction<any>): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values))
      return { rows: result.rows as unknown[] }
    },
  }
}

export interface QueuePluginOptions {
  connectionString: string
}

/** A PostgreSQL-backed job queue (pg-boss): any instance picks up any job; none is lost on a crash. */
export default fp<QueuePluginOptions>(
  async (app, options) => {
    let closing = false
    // pg-boss gets a pool of ours, so that its connections have the same error listeners as the app's.
    const pool = guardConnectionErrors(
      new pg.Pool({ connectionString: options.connectionString, max: 3, application_name: 'nguon-queue' }),
      connectionLossLogger(app.log, 'queue', () => closing),
    )
    const boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) },
    })
    boss.on('error', (err) => {
      if (closing) app.log.debug({ message: err.message }, 'job queue connection closed during shutdown')
      else if (isDatabaseUnavailable(err)) app.log.warn({ message: err.message }, 'job queue: the database is unavailable')
      else app.log.error({ err }, 'job queue error')
    })
    await boss.start()
    app.decorate('queue', boss)
    app.addHook('preClose', async () => {
      closing = true
    })
    // After the capture workers (registered later, so closed earlier) have finished or handed back their jobs.
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: false, close: false })
      await pool.end()
    })
  },
  { name: 'queue', dependencies: ['database'] },
)
