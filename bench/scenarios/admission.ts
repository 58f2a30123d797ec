import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { authorised, startApp } from '../app-server.js'
import { DOCUMENT_CONTEXT, SupplyChainStream } from '../data/query-events.js'
import { ratio, summarize } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'
import { insertEvents, upsertContext, type EventToStore } from '../../src/capture/event-repository.js'
import type { Db } from '../../src/db/database.js'
import { collectExtensionNames } from '../../src/epcis/document.js'
import { indexEvent } from '../../src/epcis/event-index.js'
import { resolveContext } from '../../src/epcis/json-ld-context.js'
import { canonicalIdentifier } from '../../src/identifiers/index.js'

const SETTINGS = {
  seed: 20241207,
  /** BENCH_ADMISSION_EVENTS overrides (the issue's case is 140,000). */
  events: Number(process.env.BENCH_ADMISSION_EVENTS ?? 140_000),
  /** The share of events, all at the end, that carry quantities (a lot received recently). */
  quantityShare: 1 / 7,
  /** Concurrent clients running the expensive query, as in the issue. */
  expensiveClients: 20,
  resolverRequests: 200,
  batchSize: 5000,
}

const EXPENSIVE_QUERY = '/events?GT_quantity=0'
const QUANTITY_LISTS = ['quantityList', 'inputQuantityList', 'outputQuantityList']

/**
 * The supply chain of the query benchmark without quantities, then a tail of events that all carry one:
 * GT_quantity=0 reads every earlier event before its first match (the query of issue 13, item 4).
 */
async function load(ctx: BenchContext, db: Db): Promise<string[]> {
  const stream = new SupplyChainStream(SETTINGS.seed, SETTINGS.events)
  const first = Array.from({ length: 1000 }, () => stream.next())
  const context = await resolveContext(DOCUMENT_CONTEXT, collectExtensionNames(first, new Set()))
  const contextId = await upsertContext(db, context)
  const tailFrom = Math.floor(SETTINGS.events * (1 - SETTINGS.quantityShare))
  let done = 0
  let pending = first
  while (done < SETTINGS.events) {
    const batch = pending.length > 0 ? pending : Array.from({ length: Math.min(SETTINGS.batchSize, SETTINGS.events - done) }, () => stream.next())
    pending = []
    const prepared: EventToStore[] = batch.map((body, i) => {
      const n = done + i
      if (n < tailFrom) for (const list of QUANTITY_LISTS) delete body[list]
      else body.quantityList = [{ epcClass: `urn:epc:class:lgtin:8931000.012345.TAIL${n % 500}`, quantity: 1 + (n % 90), uom: 'KGM' }]
      const indexed = indexEvent(body, context, `/${n}`)
      return { eventId: indexed.eventId ?? indexed.eventHash, body, indexed }
    })
    await insertEvents(db, prepared, { captureJobId: null, contextId })
    done += batch.length
    if (done % 20_000 < batch.length) ctx.log(`admission: ${done.toLocaleString('en-US')} events stored`)
  }
  await sql`VACUUM (ANALYZE)`.execute(db)
  return stream.samples.epcs.slice(0, 50).map((epc) => new URL(canonicalIdentifier(epc)).pathname)
}

/** Sequential GETs of the resolver (each a 307 to the identifier's traceability page), in ms. */
async function resolverLatencies(ctx: BenchContext, baseUrl: string, paths: string[]): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < SETTINGS.resolverRequests; i++) {
    const started = performance.now()
    const response = await fetch(`${baseUrl}${paths[i % paths.length]}`, { redirect: 'manual' })
    await response.arrayBuffer()
    times.push(performance.now() - started)
    if (response.status !== 307) {
      ctx.problem(`the resolver answered ${response.status} for ${paths[i % paths.length]}`)
      break
    }
  }
  return times
}

async function readiness(baseUrl: string): Promise<{ ms: number; status: number }> {
  const started = performance.now()
  const response = await fetch(`${baseUrl}/health/ready`)
  await response.arrayBuffer()
  return { ms: performance.now() - started, status: response.status }
}

export const admission: Scenario = {
  name: 'admission',
  description: 'resolver and readiness latency while 20 clients run an expensive query (GT_quantity=0 that walks every event), against the idle resolver',

  async run(ctx) {
    // No bound per caller (every bench request is the operator's): this measures the pools' isolation alone.
    const running = await startApp(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: 0, QUERY_CONCURRENCY_PER_CALLER: 0 })
    try {
      ctx.log(`admission: storing ${SETTINGS.events.toLocaleString('en-US')} events`)
      const paths = await load(ctx, running.app.db)
      const idle = summarize(await resolverLatencies(ctx, running.baseUrl, paths))
      const idleReady = await readiness(running.baseUrl)

      let stop = false
      const expensive: number[] = []
      const statuses = new Map<number, number>()
      const client = async () => {
        while (!stop) {
          const started = performance.now()
          const response = await fetch(`${running.baseUrl}${EXPENSIVE_QUERY}`, { headers: authorised() })
          await response.arrayBuffer()
          expensive.push(performance.now() - started)
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        }
      }
      const clients = Array.from({ length: SETTINGS.expensiveClients }, client)
      // Let the query pool fill before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const busy = summarize(await resolverLatencies(ctx, running.baseUrl, paths))
      const busyReady = await readiness(running.baseUrl)
      stop = true
      await Promise.all(clients)
      if (busyReady.status !== 200) ctx.problem(`/health/ready answered ${busyReady.status} under load`)
      const answered = summarize(expensive)

      ctx.note(
        `admission: ${SETTINGS.events.toLocaleString('en-US')} events (the query benchmark's supply chain; quantities only on the ` +
          `last ${Math.round(SETTINGS.quantityShare * 100)}%), ${SETTINGS.expensiveClients} clients repeating GET ${EXPENSIVE_QUERY} ` +
          `(answers: ${[...statuses].map(([s, n]) => `${n} x ${s}`).join(', ')}) while ${SETTINGS.resolverRequests} sequential resolver ` +
          `GETs (307) ran; baseline = the same resolver GETs with nothing else running. Pools: query ` +
          `${running.app.pools.query.options.max}, public ${running.app.pools.public.options.max}, health ${running.app.pools.health.options.max}.`,
      )
      if (running.errorLog.length > 0) ctx.problem(`the app logged ${running.errorLog.length} error line(s); first: ${running.errorLog[0]!.slice(0, 400)}`)
      return [
        { measurement: 'resolver while expensive queries run: p50', value: busy.median, unit: 'ms', baseline: idle.median, ratio: ratio(busy.median, idle.median) },
        { measurement: 'resolver while expensive queries run: p95', value: busy.p95, unit: 'ms', baseline: idle.p95, ratio: ratio(busy.p95, idle.p95) },
        { measurement: 'resolver while expensive queries run: max', value: busy.max, unit: 'ms', baseline: idle.max, ratio: ratio(busy.max, idle.max) },
        { measurement: '/health/ready while expensive queries run', value: busyReady.ms, unit: 'ms', baseline: idleReady.ms, ratio: ratio(busyReady.ms, idleReady.ms) },
        { measurement: `GET ${EXPENSIVE_QUERY} under ${SETTINGS.expensiveClients} clients: p50`, value: answered.median, unit: 'ms' },
        { measurement: `GET ${EXPENSIVE_QUERY} under ${SETTINGS.expensiveClients} clients: max`, value: answered.max, unit: 'ms' },
      ] satisfies ResultRow[]
    } finally {
      await running.close()
    }
  },
}
