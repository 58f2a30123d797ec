import pg from 'pg'
import { captureConcurrently } from '../capture-client.js'
import { postgresCpuReader } from '../cpu.js'
import { captureDocument, eventStream } from '../data/object-events.js'
import { startServiceProcess } from '../service-process.js'
import { ratio } from '../stats.js'
import type { ResultRow, Scenario } from '../types.js'
import { writeStatsSince, type WriteStats } from '../write-stats.js'
import { measureCapture, micro, SETTINGS, take, type MeasuredCapture } from './capture.js'

/** Events already stored before the second measurement (BENCH_STORED_EVENTS, default five million). */
const STORED = Number(process.env.BENCH_STORED_EVENTS ?? 5_000_000)

/** The tables a capture writes, grown by copying the rows of the first measurement. */
const GROWN = ['event', 'event_identifier', 'event_link', 'event_field', 'lot_member'] as const

/**
 * Copies the rows of the events stored so far until `target` events are stored, each copy with its own keys,
 * eventIDs and identifiers (so that unique and lookup indexes grow as they would), secondary indexes dropped
 * during the copy and built again after it.
 */
async function grow(pool: pg.Pool, target: number, log: (line: string) => void): Promise<void> {
  const { rows } = await pool.query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(id)::bigint AS max FROM event')
  const { n, max } = rows[0]!
  const copies = Math.ceil((target - n) / n)
  const stride = Number(max) + 1
  const indexes = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [[...GROWN]],
  )
  for (const index of indexes.rows) await pool.query(`DROP INDEX ${index.indexname}`)
  const series = `generate_series(1, ${copies}) AS g`
  log(`capture-grown: copying ${n.toLocaleString('en-US')} events ${copies} times`)
  const columns = (await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'event' AND table_schema = 'public' ORDER BY ordinal_position`,
  )).rows.map((r) => r.column_name)
  const select = columns.map((c) => (c === 'id' ? `e.id + g * ${stride}` : c === 'event_id' ? `e.event_id || '#' || g` : `e.${c}`))
  await pool.query(`INSERT INTO event (${columns.join(', ')}) SELECT ${select.join(', ')} FROM event e, ${series} WHERE e.id < ${stride}`)
  await pool.query(`INSERT INTO event_identifier (event_pk, role, identifier, quantity, uom)
    SELECT r.event_pk + g * ${stride}, r.role, r.identifier || '.' || g, r.quantity, r.uom FROM event_identifier r, ${series} WHERE r.event_pk < ${stride}`)
  await pool.query(`INSERT INTO event_link (event_pk, kind, type, value)
    SELECT r.event_pk + g * ${stride}, r.kind, r.type, r.value FROM event_link r, ${series} WHERE r.event_pk < ${stride}`)
  await pool.query(`INSERT INTO event_field (event_pk, scope, name, nested, sensor_element, sensor_report, value_text, value_num, value_time)
    SELECT r.event_pk + g * ${stride}, r.scope, r.name, r.nested, r.sensor_element, r.sensor_report, r.value_text, r.value_num, r.value_time
    FROM event_field r, ${series} WHERE r.event_pk < ${stride}`)
  await pool.query(`INSERT INTO lot_member (event_pk, instance, lot)
    SELECT r.event_pk + g * ${stride}, r.instance || '.' || g, r.lot FROM lot_member r, ${series} WHERE r.event_pk < ${stride}`)
  await pool.query(`SELECT setval('event_id_seq', (SELECT max(id) FROM event))`)
  log(`capture-grown: building ${indexes.rows.length} indexes again`)
  for (const index of indexes.rows) await pool.query(index.indexdef)
  log('capture-grown: VACUUM ANALYZE')
  for (const table of GROWN) await pool.query(`VACUUM ANALYZE ${table}`)
}

/**
 * Loads the indexes of the capture tables into shared buffers (pg_prewarm), as a server that has been capturing
 * for a while holds the pages its inserts touch; answers their size, or undefined when pg_prewarm cannot be used.
 */
async function prewarmIndexes(pool: pg.Pool): Promise<number | undefined> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm')
    const { rows } = await pool.query<{ bytes: string }>(
      `SELECT sum(pg_relation_size(i.indexrelid))::text AS bytes, sum(pg_prewarm(i.indexrelid)) AS pages
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace`,
      [[...GROWN]],
    )
    return Number(rows[0]!.bytes)
  } catch {
    return undefined
  }
}

/** The ten largest indexes of the capture tables, with their bytes per stored event. */
async function largestIndexes(pool: pg.Pool, stored: number): Promise<string> {
  const { rows } = await pool.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_relation_size(i.indexrelid)::text AS bytes
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace ORDER BY pg_relation_size(i.indexrelid) DESC`,
    [[...GROWN]],
  )
  const total = rows.reduce((sum, row) => sum + Number(row.bytes), 0)
  const each = rows.slice(0, 10).map((row) => `${row.name} ${(Number(row.bytes) / GiB).toFixed(2)} GiB (${Math.round(Number(row.bytes) / stored)} B/event)`)
  return `${each.join(', ')}; all ${rows.length} together ${(total / GiB).toFixed(1)} GiB (${Math.round(total / stored)} B/event)`
}

async function measured(pool: pg.Pool, measure: () => Promise<MeasuredCapture>): Promise<MeasuredCapture & { writes: WriteStats }> {
  const writes = await writeStatsSince(pool)
  const result = await measure()
  return { ...result, writes: await writes() }
}

const GiB = 1024 ** 3

export const captureGrown: Scenario = {
  name: 'capture-grown',
  description: `the capture figure on empty tables, then again with ${STORED.toLocaleString('en-US')} events stored (BENCH_STORED_EVENTS), with cold and with prewarmed indexes; tens of minutes`,
  async run(ctx) {
    const stream = eventStream(SETTINGS.seed)
    const documents = () =>
      Array.from({ length: SETTINGS.documents }, () => JSON.stringify(captureDocument(take(stream, SETTINGS.eventsPerDocument))))
    const [warmUp, first, second, third] = [JSON.stringify(captureDocument(take(stream, SETTINGS.eventsPerDocument))), documents(), documents(), documents()]
    const events = SETTINGS.documents * SETTINGS.eventsPerDocument
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: SETTINGS.workers + 1 })
    const postgresCpu = (await postgresCpuReader(pool)) ?? (async () => Number.NaN)
    const service = await startServiceProcess(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: SETTINGS.workers })
    try {
      await captureConcurrently(service.baseUrl, [warmUp], 1, 60_000)
      const empty = await measured(pool, () => measureCapture(ctx, 'capture-grown, empty', service, pool, postgresCpu, first, events, { floor: false }))
      await grow(pool, STORED, ctx.log)
      const stored = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event')).rows[0]!.n
      ctx.note(`capture-grown: the largest indexes with ${stored.toLocaleString('en-US')} events stored: ${await largestIndexes(pool, stored)}`)
      const cold = await measured(pool, () => measureCapture(ctx, `capture-grown, ${stored} stored`, service, pool, postgresCpu, second, events, { floor: false }))
      ctx.log('capture-grown: prewarming the indexes (pg_prewarm)')
      const indexBytes = await prewarmIndexes(pool)
      const sharedBuffers = (await pool.query<{ setting: string }>("SELECT pg_size_bytes(current_setting('shared_buffers'))::text AS setting")).rows[0]!.setting
      const warm = indexBytes === undefined ? undefined : await measured(pool, () => measureCapture(ctx, `capture-grown, ${stored} stored, prewarmed`, service, pool, postgresCpu, third, events, { floor: false }))
      const errors = await service.close()
      if (errors.length > 0) ctx.problem(`the service logged ${errors.length} error line(s); first: ${errors[0]!.slice(0, 400)}`)
      ctx.note(`capture-grown: the stored events are copies of the first measurement's (own keys, eventIDs and serials); ledger leaves are not copied`)
      ctx.note(
        'capture-grown: each measurement starts right after a CHECKPOINT, so the first change of every page after it writes a full-page image to the WAL; ' +
          (indexBytes === undefined
            ? 'pg_prewarm could not be used here, so there is no prewarmed measurement'
            : `the prewarmed one first loads the ${(indexBytes / GiB).toFixed(1)} GiB of the capture tables' indexes into shared buffers (shared_buffers ${(Number(sharedBuffers) / GiB).toFixed(1)} GiB)`),
      )
      const label = `${(stored / 1e6).toFixed(1)} M`
      const perEvent = (phase: string, run: MeasuredCapture & { writes: WriteStats }): ResultRow[] => [
        { measurement: `  ${phase}: WAL per event`, value: run.writes.walBytes / events / 1024, unit: 'KiB' },
        { measurement: `  ${phase}: full-page images per event`, value: run.writes.fullPageImages / events, unit: 'count' },
        { measurement: `  ${phase}: blocks read from outside shared buffers per event`, value: run.writes.blocksRead / events, unit: 'count' },
      ]
      return [
        { measurement: `POST /capture end to end with ${label} events stored, against the same on empty tables`, value: cold.perSecond, unit: 'events/s', baseline: empty.perSecond, ratio: ratio(cold.perSecond, empty.perSecond) },
        { measurement: `  CPU per event, service, with ${label} stored (empty as baseline)`, value: micro(cold.serviceCpu, events), unit: 'µs', baseline: micro(empty.serviceCpu, events) },
        { measurement: `  CPU per event, PostgreSQL, with ${label} stored (empty as baseline)`, value: micro(cold.postgresCpu, events), unit: 'µs', baseline: micro(empty.postgresCpu, events) },
        ...(warm
          ? [
              { measurement: `the same with ${label} stored and the indexes prewarmed, against empty tables`, value: warm.perSecond, unit: 'events/s', baseline: empty.perSecond, ratio: ratio(warm.perSecond, empty.perSecond) },
              { measurement: `  CPU per event, service, prewarmed (empty as baseline)`, value: micro(warm.serviceCpu, events), unit: 'µs', baseline: micro(empty.serviceCpu, events) },
              { measurement: `  CPU per event, PostgreSQL, prewarmed (empty as baseline)`, value: micro(warm.postgresCpu, events), unit: 'µs', baseline: micro(empty.postgresCpu, events) },
            ]
          : []),
        ...perEvent('empty', empty),
        ...perEvent(`${label} stored`, cold),
        ...(warm ? perEvent(`${label} stored, prewarmed`, warm) : []),
      ]
    } finally {
      await service.close().catch(() => undefined)
      await pool.end()
    }
  },
}
