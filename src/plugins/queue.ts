import fp from 'fastify-plugin'
import PgBoss from 'pg-boss'
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
    const boss = new PgBoss({
      connectionString: options.connectionString,
      max: 3,
      application_name: 'nguon-queue',
    })
    let closing = false
    boss.on('error', (err) => {
      if (closing) app.log.debug({ message: err.message }, 'job queue connection closed during shutdown')
      else app.log.error({ err }, 'job queue error')
    })
    await boss.start()
    app.decorate('queue', boss)
    app.addHook('preClose', async () => {
      closing = true
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 })
    })
  },
  { name: 'queue', dependencies: ['database'] },
)
