import { performance } from 'node:perf_hooks'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'

/**
 * The floor of the schema: the rows a capture stored (events, the rows that index them, their ledger leaves)
 * COPYed straight into copies of the same tables, with the same indexes and foreign keys among them, in one transaction per
 * job from as many connections as capture workers. Nothing is checked, parsed, hashed or deduplicated: no capture
 * of these events can be faster on this database.
 */
const TABLES: Array<{ name: string; ofJob: string }> = [
  { name: 'event', ofJob: 'capture_job_id = $JOB' },
  { name: 'event_identifier', ofJob: 'event_pk IN (SELECT id FROM event WHERE capture_job_id = $JOB)' },
  { name: 'event_link', ofJob: 'event_pk IN (SELECT id FROM event WHERE capture_job_id = $JOB)' },
  { name: 'event_field', ofJob: 'event_pk IN (SELECT id FROM event WHERE capture_job_id = $JOB)' },
  { name: 'sensor_report', ofJob: 'event_pk IN (SELECT id FROM event WHERE capture_job_id = $JOB)' },
  { name: 'event_persistent_disposition', ofJob: 'event_pk IN (SELECT id FROM event WHERE capture_job_id = $JOB)' },
  { name: 'lot_member', ofJob: 'event_pk IN (SELECT id FROM event WHERE capture_job_id = $JOB)' },
  { name: 'ledger_leaf', ofJob: 'event_pk IN (SELECT id FROM event WHERE capture_job_id = $JOB)' },
]

async function copyOut(client: pg.PoolClient, query: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  await pipeline(client.query(copyTo(`COPY (${query}) TO STDOUT`)), new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }))
  return Buffer.concat(chunks)
}

async function copyIn(client: pg.PoolClient, table: string, data: Buffer): Promise<void> {
  if (data.length === 0) return
  const stream = client.query(copyFrom(`COPY ${table} FROM STDIN`))
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', reject)
    stream.end(data)
  })
}

/** Copies of the event tables (floor_*), empty, with the same columns, defaults, indexes and foreign keys among them. */
async function createFloorTables(pool: pg.Pool): Promise<void> {
  await dropFloorTables(pool)
  for (const table of TABLES) await pool.query(`CREATE TABLE floor_${table.name} (LIKE ${table.name} INCLUDING ALL)`)
  const names = TABLES.map((t) => t.name)
  const keys = await pool.query<{ table: string; definition: string; target: string }>(
    `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS definition, confrelid::regclass::text AS target
     FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) AND confrelid::regclass::text = ANY($1)`,
    [names],
  )
  for (const key of keys.rows) {
    const definition = key.definition.replace(`REFERENCES ${key.target}(`, `REFERENCES floor_${key.target}(`)
    await pool.query(`ALTER TABLE floor_${key.table} ADD ${definition}`)
  }
}

export async function dropFloorTables(pool: pg.Pool): Promise<void> {
  for (const table of [...TABLES].reverse()) await pool.query(`DROP TABLE IF EXISTS floor_${table.name}`)
}

export interface FloorRun {
  events: number
  ms: number
}

/** Times the COPY of the given jobs' rows into the floor tables (created for it and dropped after). */
export async function measureFloor(pool: pg.Pool, jobIds: number[], connections: number): Promise<FloorRun> {
  await createFloorTables(pool)
  try {
    const dumps: Array<Array<[string, Buffer]>> = []
    const client = await pool.connect()
    let events = 0
    try {
      for (const jobId of jobIds) {
        const dump: Array<[string, Buffer]> = []
        for (const table of TABLES) dump.push([table.name, await copyOut(client, `SELECT * FROM ${table.name} WHERE ${table.ofJob.replaceAll('$JOB', String(jobId))}`)])
        dumps.push(dump)
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM event WHERE capture_job_id = $1', [jobId])
        events += rows[0]!.n
      }
    } finally {
      client.release()
    }
    await pool.query('CHECKPOINT').catch(() => undefined)
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const c = await pool.connect()
        try {
          while (next < dumps.length) {
            const dump = dumps[next++]!
            await c.query('BEGIN')
            for (const [table, data] of dump) await copyIn(c, `floor_${table}`, data)
            await c.query('COMMIT')
          }
        } finally {
          c.release()
        }
      }),
    )
    return { events, ms: performance.now() - started }
  } finally {
    await dropFloorTables(pool)
  }
}
