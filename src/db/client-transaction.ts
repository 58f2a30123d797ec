import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import type pg from 'pg'
import type { Database } from './database.js'

/**
 * Runs `work` in a transaction on one connection of `pool`, handing it both the connection itself (for what
 * Kysely cannot send, such as COPY ... FROM STDIN) and a Kysely transaction on that same connection.
 */
export async function inClientTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    const onConnection = new Kysely<Database>({ dialect: new PostgresDialect({ pool: oneConnection(client) }) })
    return await onConnection.transaction().execute((trx) => work(client, trx))
  } catch (error) {
    // A connection whose COPY or transaction failed midway may be left in a state no other caller should meet.
    broken = error instanceof Error ? error : new Error(String(error))
    throw error
  } finally {
    client.release(broken && !isStatementError(broken) ? broken : undefined)
  }
}

/** An error PostgreSQL raised for a statement (the connection itself is fine and the transaction was rolled back). */
function isStatementError(error: Error): boolean {
  return typeof (error as { code?: unknown }).code === 'string' && typeof (error as { severity?: unknown }).severity === 'string'
}

/** A pool of one connection that is never given back through it (inClientTransaction releases it). */
function oneConnection(client: pg.PoolClient) {
  return {
    connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
    end: async () => undefined,
  } as unknown as pg.Pool
}
