import type pg from 'pg'

/** What PostgreSQL wrote and read for a stretch of work: WAL, full-page images in it, and table/index blocks not found in shared buffers. */
export interface WriteStats {
  walBytes: number
  fullPageImages: number
  blocksRead: number
  blocksHit: number
}

/**
 * A backend flushes its statistics at most once a second while busy, and within ten seconds of going idle:
 * a reading waits that long first, so that it holds everything done before it and nothing done after it.
 */
const STATS_FLUSH_MS = 11_000

async function read(pool: pg.Pool): Promise<WriteStats> {
  const { rows } = await pool.query<{ wal_bytes: string; wal_fpi: string; blks_read: string; blks_hit: string }>(
    `SELECT w.wal_bytes::text, w.wal_fpi::text, d.blks_read::text, d.blks_hit::text
     FROM pg_stat_wal w, pg_stat_database d WHERE d.datname = current_database()`,
  )
  const row = rows[0]!
  return { walBytes: Number(row.wal_bytes), fullPageImages: Number(row.wal_fpi), blocksRead: Number(row.blks_read), blocksHit: Number(row.blks_hit) }
}

/** Starts a reading; the answer gives what happened between the start and its call (the WAL figures are the whole server's). */
export async function writeStatsSince(pool: pg.Pool): Promise<() => Promise<WriteStats>> {
  await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS))
  const before = await read(pool)
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS))
    const after = await read(pool)
    return {
      walBytes: after.walBytes - before.walBytes,
      fullPageImages: after.fullPageImages - before.fullPageImages,
      blocksRead: after.blocksRead - before.blocksRead,
      blocksHit: after.blocksHit - before.blocksHit,
    }
  }
}
