import type { FastifyPluginAsync } from 'fastify'
import { sql } from 'kysely'
import { isMigrated } from '../db/migrator.js'

const status = {
  type: 'object',
  properties: { status: { type: 'string' }, detail: { type: 'string' } },
  required: ['status'],
} as const

/** Liveness (the process answers) and readiness (the database answers and is fully migrated). */
const routes: FastifyPluginAsync = async (app) => {
  app.get(
    '/health/live',
    { config: { auth: 'public' }, schema: { summary: 'The process is up', tags: ['Health'], response: { 200: status } } },
    async () => ({ status: 'ok' }),
  )

  app.get(
    '/health/ready',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'The database answers and every migration is applied',
        tags: ['Health'],
        response: { 200: status, 503: status },
      },
    },
    async (request, reply) => {
      try {
        await sql`SELECT 1`.execute(app.db)
        if (!(await isMigrated(app.db))) return reply.code(503).send({ status: 'unavailable', detail: 'migrations pending' })
        return { status: 'ok' }
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed')
        return reply.code(503).send({ status: 'unavailable', detail: 'database unreachable' })
      }
    },
  )
}

export default routes
