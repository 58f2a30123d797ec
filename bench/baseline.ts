import { performance } from 'node:perf_hooks'
import type pg from 'pg'

/**
 * The bare way to put the same JSON into the same PostgreSQL: one jsonb column, no index, no
 * validation. pg-copy-streams is not installed, so bulk loading uses multi-row INSERT ... SELECT FROM unnest.
 */
export const BULK_INSERT = 'INSERT INTO bench_baseline (body) SELECT b FROM unnest($1::jsonb[]) AS b'

export const SINGLE_INSERT = 'INSERT INTO bench_baseline (body) VALUES ($1::jsonb)'

export async function createBaselineTable(pool: pg.Pool): Promise<void> {
  await pool.query('DROP TABLE IF EXISTS bench_baseline')
  await pool.query('CREATE TABLE bench_baseline (body jsonb)')
}

export async function baselineRowCount(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ count: string }>('SELECT count(*) AS count FROM bench_baseline')
  return Number(result.rows[0]!.count)
}

/** Inserts the JSON texts in batches (one statement, one transaction each) from `connections` concurrent connections. */
export async function insertInBatches(
  pool: pg.Pool,
  jsonTexts: string[],
  batchSize: number,
  connections: number,
): Promise<number> {
  const batches: string[][] = []
  for (let i = 0; i < jsonTexts.length; i += batchSize) batches.push(jsonTexts.slice(i, i + batchSize))
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = await pool.connect()
      try {
        while (next < batches.length) {
          const batch = batches[next++]!
          await client.query(BULK_INSERT, [batch])
        }
      } finally {
        client.release()
      }
    }),
  )
  return performance.now() - started
}

/** One autocommitted single-row INSERT per JSON text, one after the other on one connection; the time of each. */
export async function insertOneByOne(pool: pg.Pool, jsonTexts: string[]): Promise<{ totalMs: number; rowMs: number[] }> {
  const client = await pool.connect()
  const rowMs: number[] = []
  try {
    const started = performance.now()
    for (const text of jsonTexts) {
      const before = performance.now()
      await client.query(SINGLE_INSERT, [text])
      rowMs.push(performance.now() - before)
    }
    return { totalMs: performance.now() - started, rowMs }
  } finally {
    client.release()
  }
}

/** Flushes dirty buffers so that one phase does not pay for the writes of the one before; skipped without the right. */
export async function checkpoint(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('CHECKPOINT')
    return true
  } catch {
    return false
  }
}
