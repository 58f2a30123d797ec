import { randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import { sql } from 'kysely'

declare module 'fastify' {
  interface FastifyInstance {
    /** The HMAC key that signs page tokens; shared by every instance through the database. */
    pageTokenKey: Buffer
  }
}

/** Loads the shared secrets, creating them on the first start (the first instance to commit wins). */
export default fp(
  async (app) => {
    const result = await sql<{ value: Buffer }>`
      WITH inserted AS (
        INSERT INTO app_secret (name, value) VALUES ('page-token-key', ${randomBytes(32)})
        ON CONFLICT (name) DO NOTHING RETURNING value
      )
      SELECT value FROM inserted UNION ALL SELECT value FROM app_secret WHERE name = 'page-token-key' LIMIT 1`.execute(
      app.db,
    )
    app.decorate('pageTokenKey', result.rows[0]!.value)
  },
  { name: 'secrets', dependencies: ['database'] },
)
