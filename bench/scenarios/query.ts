import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { authorised, startApp } from '../app-server.js'
import { DOCUMENT_CONTEXT, SupplyChainStream, type QuerySamples } from '../data/query-events.js'
import { Random } from '../data/random.js'
import { ratio } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'
import { insertEvents, upsertContext, type EventToStore } from '../../src/capture/event-repository.js'
import { recordPrefixes } from '../../src/company-prefix/repository.js'
import type { Db } from '../../src/db/database.js'
import { collectExtensionNames } from '../../src/epcis/document.js'
import { indexEvent } from '../../src/epcis/event-index.js'
import { resolveContext, type ResolvedContext } from '../../src/epcis/json-ld-context.js'
import { validateDocument } from '../../src/epcis/schema-validator.js'
import { paramsFromQueryString } from '../../src/query/params.js'
import { queryDocument } from '../../src/query/render.js'
import { eventPageSql, type StoredEventRow } from '../../src/query/repository.js'
import { boundedDriver, parseEventQuery, queryEvents, visibilityFilters } from '../../src/query/service.js'
import type { VisibilityScope } from '../../src/security/visibility.js'

const SETTINGS = {
  seed: 20240501,
  /** BENCH_QUERY_EVENTS overrides, e.g. for a quick run. */
  events: Number(process.env.BENCH_QUERY_EVENTS ?? 1_000_000),
  batchSize: 5000,
  warmUp: 30,
  iterations: 300,
  httpIterations: 200,
  perPage: 100,
  maxCost: 1_000_000,
}

interface QueryKind {
  name: string
  /** Parameters of the i-th run (varied so that caches do not flatter). */
  params(i: number, random: Random): Record<string, string>
  /** Asked as this organisation (the visibility predicate applies); by default as an operator who sees everything. */
  visibility?: VisibilityScope
}

/** An organisation that owns the company prefix of one of the sample locations: it sees its own steps and its parties'. */
function organisationOf(samples: QuerySamples): VisibilityScope {
  const prefix = /^urn:epc:id:sgln:(\d+)\./.exec(samples.locations[0]!)![1]!
  return { organisationId: 'bench-org', identifiers: [{ kind: 'company_prefix', digits: prefix }] }
}

const TEMPERATURE_THRESHOLDS = ['8', '9', '10', '11']
const STEPS: Array<[string, string]> = [
  ['shipping', 'TransactionEvent'],
  ['receiving', 'ObjectEvent'],
  ['packing', 'AggregationEvent'],
  ['commissioning', 'TransformationEvent'],
  ['assembling', 'AssociationEvent'],
]

function queryKinds(samples: QuerySamples): QueryKind[] {
  const [from, to] = samples.span
  const day = 24 * 3_600_000
  const organisation = organisationOf(samples)
  const prefix = organisation.identifiers[0]!.digits
  const ownLocations = samples.locations.filter((location) => location.startsWith(`urn:epc:id:sgln:${prefix}.`))
  const ownEpcs = samples.epcs.filter((epc) => epc.includes(`:${prefix}.`))
  return [
    { name: 'MATCH_epc (one serialised item)', params: (_i, r) => ({ MATCH_epc: r.pick(samples.epcs) }) },
    {
      name: 'MATCH_epc of its own items, as an organisation (visibility predicate)',
      params: (_i, r) => ({ MATCH_epc: r.pick(ownEpcs.length > 0 ? ownEpcs : samples.epcs) }),
      visibility: organisation,
    },
    {
      name: 'EQ_bizLocation (its own sites) + 30-day window, as that organisation',
      params: (_i, r) => {
        const start = from + r.int(0, Math.floor((to - from) / day) - 30) * day
        return {
          EQ_bizLocation: r.pick(ownLocations),
          GE_eventTime: new Date(start).toISOString(),
          LT_eventTime: new Date(start + 30 * day).toISOString(),
        }
      },
      visibility: organisation,
    },
    { name: 'MATCH_anyEPC (one serialised item)', params: (_i, r) => ({ MATCH_anyEPC: r.pick(samples.epcs) }) },
    {
      name: 'EQ_bizLocation + 30-day GE_/LT_eventTime window',
      params: (_i, r) => {
        const start = from + r.int(0, Math.floor((to - from) / day) - 30) * day
        return {
          EQ_bizLocation: r.pick(samples.locations),
          GE_eventTime: new Date(start).toISOString(),
          LT_eventTime: new Date(start + 30 * day).toISOString(),
        }
      },
    },
    {
      name: 'EQ_bizStep + eventType',
      params: (_i, r) => {
        const [bizStep, eventType] = r.pick(STEPS)
        return { EQ_bizStep: bizStep, eventType }
      },
    },
    {
      name: 'extension field: EQ_INNER_vnx:loggerId (~1,000 events each)',
      params: (_i, r) => ({ 'EQ_INNER_vnx:loggerId': `LG-${String(r.int(1, 300)).padStart(4, '0')}` }),
    },
    {
      name: 'sensor: EQ_type=Temperature + GT_value_CEL (excursions)',
      params: (_i, r) => ({ EQ_type: 'Temperature', GT_value_CEL: r.pick(TEMPERATURE_THRESHOLDS) }),
    },
  ]
}

/** The per-event tables a bulk load writes; their secondary indexes are built after the load, as a bulk load would. */
const EVENT_TABLES = ['event', 'event_identifier', 'event_link', 'event_field', 'sensor_report', 'event_persistent_disposition', 'lot_member']

interface Deferred {
  indexes: Array<{ indexname: string; indexdef: string }>
  foreignKeys: Array<{ tablename: string; conname: string; def: string }>
}

/**
 * Drops the secondary indexes and foreign keys of the event tables (not the primary keys) for the
 * load and returns their definitions: building an index once over a million rows, and checking a
 * foreign key with one join, is what a bulk load does instead of row by row.
 */
async function deferIndexesAndKeys(db: Db): Promise<Deferred> {
  const indexes = await sql<Deferred['indexes'][number]>`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename = ANY(${EVENT_TABLES}::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`.execute(db)
  const foreignKeys = await sql<Deferred['foreignKeys'][number]>`
    SELECT c.conrelid::regclass::text AS tablename, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(${EVENT_TABLES}::text[])`.execute(db)
  for (const key of foreignKeys.rows) {
    await sql`ALTER TABLE ${sql.id(key.tablename)} DROP CONSTRAINT ${sql.id(key.conname)}`.execute(db)
  }
  for (const index of indexes.rows) await sql`DROP INDEX ${sql.id(index.indexname)}`.execute(db)
  return { indexes: indexes.rows, foreignKeys: foreignKeys.rows }
}

async function restoreIndexesAndKeys(db: Db, deferred: Deferred): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`SET maintenance_work_mem = '512MB'`.execute(connection)
    for (const index of deferred.indexes) await sql.raw(index.indexdef).execute(connection)
    for (const key of deferred.foreignKeys) {
      await sql`ALTER TABLE ${sql.id(key.tablename)} ADD CONSTRAINT ${sql.id(key.conname)} ${sql.raw(key.def)}`.execute(connection)
    }
  })
}

/** Generates the events and stores them through the capture path's own indexer and set-based inserts (no HTTP, no JSON Schema). */
async function load(ctx: BenchContext, db: Db): Promise<{ stream: SupplyChainStream; seconds: number; indexSeconds: number }> {
  const stream = new SupplyChainStream(SETTINGS.seed, SETTINGS.events)
  const first = Array.from({ length: 2000 }, () => stream.next())
  const check = validateDocument({
    '@context': DOCUMENT_CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: first },
  })
  if (!check.valid) ctx.problem(`generated events are not valid EPCIS: ${JSON.stringify(check.errors.slice(0, 3))}`)
  const context: ResolvedContext = await resolveContext(DOCUMENT_CONTEXT, collectExtensionNames(first, new Set()))
  const contextId = await upsertContext(db, context)
  const index = (body: Record<string, unknown>, i: number): EventToStore => {
    const indexed = indexEvent(body, context, `/${i}`)
    return { eventId: indexed.eventId ?? indexed.eventHash, body, indexed }
  }
  /** Indexes in slices, yielding in between, so that the batch being inserted meanwhile sends its next statement at once. */
  const prepare = async (events: Record<string, unknown>[]): Promise<EventToStore[]> => {
    const prepared: EventToStore[] = []
    for (let from = 0; from < events.length; from += 250) {
      prepared.push(...events.slice(from, from + 250).map((body, i) => index(body, from + i)))
      await new Promise((resolve) => setImmediate(resolve))
    }
    return prepared
  }
  const started = performance.now()
  const deferred = await deferIndexesAndKeys(db)
  // Two batches are written at a time (two PostgreSQL backends) while the next one is indexed here.
  const inFlight: Array<Promise<unknown>> = []
  let done = first.length
  let batch = await prepare(first)
  const prefixes = new Set<string>()
  while (batch.length > 0) {
    if (inFlight.length >= 2) await inFlight.shift()
    for (const event of batch) for (const prefix of event.indexed.companyPrefixes) prefixes.add(prefix)
    inFlight.push(insertEvents(db, batch, { captureJobId: null, contextId }))
    const size = Math.min(SETTINGS.batchSize, SETTINGS.events - done)
    batch = await prepare(Array.from({ length: size }, () => stream.next()))
    done += size
    if (done % 100_000 < SETTINGS.batchSize) ctx.log(`query: ${done.toLocaleString('en-US')} events generated`)
  }
  await Promise.all(inFlight)
  await recordPrefixes(db, [...prefixes], 'captured')
  const loaded = performance.now()
  ctx.log(`query: building ${deferred.indexes.length} indexes, checking ${deferred.foreignKeys.length} foreign keys`)
  await restoreIndexesAndKeys(db, deferred)
  // What autovacuum would have done by the time anyone queries: statistics and the visibility map (index-only scans).
  ctx.log('query: VACUUM ANALYZE')
  await sql`VACUUM (ANALYZE)`.execute(db)
  return { stream, seconds: (loaded - started) / 1000, indexSeconds: (performance.now() - loaded) / 1000 }
}

/** The same rows as a query answered, fetched by primary key and rendered the same way. */
async function pkFetch(db: Db, ids: number[]): Promise<number> {
  const result = await sql<StoredEventRow>`
    SELECT event.id, event.event_id, event.record_time, event.body, document_context.context
    FROM event LEFT JOIN document_context ON document_context.id = event.context_id
    WHERE event.id = ANY(${ids}::bigint[]) ORDER BY event.id`.execute(db)
  JSON.stringify(queryDocument(result.rows))
  return result.rows.length
}

/** The index names the plan of a query's first page reads (as queryEvents runs it), to show that it is index-driven. */
async function indexesUsed(db: Db, params: Record<string, string>, visibility?: VisibilityScope): Promise<string> {
  const { query } = await parseEventQuery(db, { params: paramsFromQueryString(params) }, { defaultPerPage: 100, maxPerPage: 1000 })
  const filters = [...visibilityFilters(visibility), ...query.filters]
  const driver = await boundedDriver(db, filters)
  const statement = eventPageSql({ filters, order: query.order, after: undefined, limit: 101, driver }).compile(db)
  const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({ ...statement, sql: `EXPLAIN ${statement.sql}` })
  const lines = plan.rows.map((r) => r['QUERY PLAN'])
  const names = [...new Set(lines.flatMap((l) => [...l.matchAll(/(?:Index|Index Only) Scan(?: Backward)? using (\w+)|Bitmap Index Scan on (\w+)/g)].map((m) => m[1] ?? m[2])))]
  // document_context holds one row per distinct @context: scanning it is the right plan.
  const sequential = lines.filter((l) => l.includes('Seq Scan') && !l.includes('Seq Scan on document_context'))
  return `${names.join(', ') || 'no index'}${sequential.length ? `; SEQUENTIAL: ${sequential.join(' | ')}` : ''}`
}

interface Latency {
  median: number
  p99: number
}

/** Nearest-rank p50 and p99 (bench/stats.ts stops at p95). */
function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? Number.NaN
  return { median: at(50), p99: at(99) }
}

interface Measured {
  service: Latency
  pk: Latency
  http: Latency
  rows: number
}

async function measure(ctx: BenchContext, db: Db, key: Buffer, baseUrl: string, kind: QueryKind): Promise<Measured> {
  const random = new Random(SETTINGS.seed + kind.name.length)
  const service: number[] = []
  const pk: number[] = []
  let rows = 0
  const settings = { defaultPerPage: SETTINGS.perPage, maxPerPage: 1000, maxCost: SETTINGS.maxCost }
  for (let i = 0; i < SETTINGS.warmUp + SETTINGS.iterations; i++) {
    const params = paramsFromQueryString(kind.params(i, random))
    let started = performance.now()
    const page = await queryEvents(db, key, { params, scope: 'events', visibility: kind.visibility }, settings)
    JSON.stringify(queryDocument(page.rows))
    const serviceMs = performance.now() - started
    started = performance.now()
    const same = await pkFetch(db, page.rows.map((r) => r.id))
    const pkMs = performance.now() - started
    if (same !== page.rows.length) ctx.problem(`${kind.name}: the primary-key fetch found ${same} of ${page.rows.length} rows`)
    if (i < SETTINGS.warmUp) continue
    service.push(serviceMs)
    pk.push(pkMs)
    rows += page.rows.length
  }
  const http: number[] = []
  // The benchmarked service has only its operator key: queries as an organisation are timed in process only.
  for (let i = 0; kind.visibility === undefined && i < SETTINGS.warmUp + SETTINGS.httpIterations; i++) {
    const url = `${baseUrl}/events?${new URLSearchParams(kind.params(i, random))}`
    const started = performance.now()
    const response = await fetch(url, { headers: authorised() })
    const text = await response.text()
    const ms = performance.now() - started
    if (response.status !== 200) {
      ctx.problem(`${kind.name}: GET answered ${response.status}: ${text.slice(0, 300)}`)
      break
    }
    if (i >= SETTINGS.warmUp) http.push(ms)
  }
  return { service: latency(service), pk: latency(pk), http: latency(http), rows: rows / SETTINGS.iterations }
}

export const query: Scenario = {
  name: 'query',
  description: 'EPCIS queries on a generated 1,000,000-event supply chain (five event types), against primary-key fetches of the same rows',

  async run(ctx) {
    const running = await startApp(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: 0 })
    try {
      const db = running.app.db
      ctx.log(`query: generating and storing ${SETTINGS.events.toLocaleString('en-US')} events`)
      const { stream, seconds, indexSeconds } = await load(ctx, db)
      ctx.note(
        `query data: ${SETTINGS.events.toLocaleString('en-US')} events (35% commissioning, 25% other ObjectEvents, 15% ` +
          'AggregationEvents, 10% TransactionEvents, 8% TransformationEvents, 7% AssociationEvents; 3,000 locations, ' +
          '200 products, serials living through several events, an extension field on 30% and sensor data on ~7%) ' +
          `indexed by the capture code (indexEvent) and written with its set-based insertEvents in ${seconds.toFixed(0)} s ` +
          `(${Math.round(SETTINGS.events / seconds).toLocaleString('en-US')} events/s; no HTTP, no JSON Schema); the secondary ` +
          `indexes and foreign keys of the event tables were dropped for the load and built / checked after it, then ` +
          `VACUUM ANALYZE, in ${indexSeconds.toFixed(0)} s`,
      )
      const rows: ResultRow[] = []
      for (const kind of queryKinds(stream.samples)) {
        ctx.log(`query: ${kind.name}`)
        const plan = await indexesUsed(db, kind.params(0, new Random(1)), kind.visibility)
        ctx.note(`plan of "${kind.name}": ${plan}`)
        if (plan.includes('SEQUENTIAL')) ctx.problem(`${kind.name} scans a table sequentially`)
        const result = await measure(ctx, db, running.app.pageTokenKey, running.baseUrl, kind)
        const label = `${kind.name}, ${result.rows.toFixed(0)} events/page`
        for (const [p, key] of [['p50', 'median'], ['p99', 'p99']] as const) {
          const value = key === 'median' ? result.service.median : result.service.p99
          const baseline = key === 'median' ? result.pk.median : result.pk.p99
          rows.push({ measurement: `${label}: ${p}`, value, unit: 'ms', baseline, ratio: ratio(value, baseline) })
        }
        if (kind.visibility !== undefined) continue
        rows.push({ measurement: `  same over HTTP (GET /events): p50`, value: result.http.median, unit: 'ms' })
        rows.push({ measurement: `  same over HTTP (GET /events): p99`, value: result.http.p99, unit: 'ms' })
      }
      ctx.note(
        `query: ${SETTINGS.iterations} runs per query after ${SETTINGS.warmUp} warm-up runs, parameters varied per run, ` +
          `perPage ${SETTINGS.perPage}. Repository = queryEvents() in process (parameter parsing, namespace resolution, ` +
          `EXPLAIN cost guard, keyset SQL) + rendering the EPCISQueryDocument to JSON; baseline = the same rows by primary ` +
          '(SELECT ... WHERE id = ANY($1) with the same join) + the same rendering, on the same pool, right after. The HTTP ' +
          `rows are client-side times of GET /events over localhost (${SETTINGS.httpIterations} runs). Targets: identifier ` +
          'lookups p99 <= 20 ms and <= 3x the primary-key fetch (2 cores).',
      )
      if (running.errorLog.length > 0) ctx.problem(`the app logged ${running.errorLog.length} error line(s); first: ${running.errorLog[0]!.slice(0, 400)}`)
      return rows
    } finally {
      await running.close()
    }
  },
}
