import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { authorised, startApp } from '../app-server.js'
import { captureConcurrently } from '../capture-client.js'
import { deepChain } from '../data/deep-chain.js'
import { generateSupplyChain, type GeneratedChain } from '../data/supply-chain.js'
import { Random } from '../data/random.js'
import { ratio, summarize, type Summary } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'

const SETTINGS = {
  seed: 20240601,
  /** 680 batches of 1,000 packs and one of 10,000: 1,003,905 generated events, plus the deep chain. */
  batches: 680,
  packsPerBatch: 1000,
  bigBatchPacks: 10_000,
  deepStages: 20,
  warmUp: 3,
  upstreamRuns: 40,
  recallRuns: 7,
  stateRuns: 40,
}

const PK_FETCH = 'SELECT * FROM event WHERE id = $1'

interface Timed {
  summary: Summary
  body: string
}

/** GETs the URL `runs` times after `warmUp` unmeasured ones, one after the other: the time until the whole body is read. */
async function timeGet(
  url: string,
  runs: number,
  warmUp: number,
  headers: Record<string, string> = {},
): Promise<Timed> {
  let body = ''
  const times: number[] = []
  for (let i = 0; i < warmUp + runs; i++) {
    const started = performance.now()
    const response = await fetch(url, { headers: authorised(headers) })
    body = await response.text()
    const ms = performance.now() - started
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`)
    if (i >= warmUp) times.push(ms)
  }
  return { summary: summarize(times), body }
}

/** The bare way to read as many rows: `count` single-row primary-key fetches of random events, one round trip each. */
async function pkFetches(
  pool: pg.Pool,
  chain: GeneratedChain,
  count: number,
  runs: number,
  random: Random,
): Promise<Summary> {
  const client = await pool.connect()
  try {
    const times: number[] = []
    for (let run = -1; run < runs; run++) {
      const started = performance.now()
      for (let i = 0; i < count; i++) await client.query(PK_FETCH, [random.int(chain.firstPk, chain.lastPk)])
      if (run >= 0) times.push(performance.now() - started)
    }
    return summarize(times)
  } finally {
    client.release()
  }
}

function rowsFor(what: string, measured: Summary, baseline: Summary): ResultRow[] {
  return [
    {
      measurement: `${what}: median`,
      value: measured.median,
      unit: 'ms',
      baseline: baseline.median,
      ratio: ratio(measured.median, baseline.median),
    },
    {
      measurement: `${what}: p95`,
      value: measured.p95,
      unit: 'ms',
      baseline: baseline.p95,
      ratio: ratio(measured.p95, baseline.p95),
    },
  ]
}

interface LineageBody {
  nodes: Array<{ id: string; role: string }>
  truncated: boolean
}

interface RecallBody {
  items: Array<{ id: string }>
  truncated: boolean
}

export const lineage: Scenario = {
  name: 'lineage',
  description: 'lineage and recall on a generated 1,000,000-event pork supply chain, against single-row primary-key fetches',

  async run(ctx: BenchContext) {
    const running = await startApp(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: 1 })
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 })
    const random = new Random(SETTINGS.seed)
    try {
      const generationStarted = performance.now()
      const client = await pool.connect()
      let chain: GeneratedChain
      try {
        chain = await generateSupplyChain(client, SETTINGS, ctx.log)
      } finally {
        client.release()
      }
      const generationS = (performance.now() - generationStarted) / 1000
      const deep = deepChain(SETTINGS.deepStages)
      const capture = await captureConcurrently(running.baseUrl, [JSON.stringify(deep.document)], 1, 120_000)
      const job = capture.finished[0]
      if (!job?.success || job.storedCount !== deep.events) {
        ctx.problem(`the deep chain was not captured: ${JSON.stringify(capture).slice(0, 400)}`)
      }
      const count = (n: number) => n.toLocaleString('en-US')
      ctx.note(
        `lineage data: ${count(chain.events)} events, ${count(chain.identifiers)} identifier rows, ` +
          `${count(chain.links)} source/destination rows, ${count(chain.lotMembers)} lot rows written ` +
          `with set-based SQL in ${generationS.toFixed(0)} s, plus a ${deep.events}-event chain of ${SETTINGS.deepStages} ` +
          'processing stages captured through POST /capture',
      )
      const url = (path: string, query: Record<string, string>) => `${running.baseUrl}${path}?${new URLSearchParams(query)}`
      const rows: ResultRow[] = []

      ctx.log('lineage: upstream from a retail pack through 20 steps')
      const upstreamUrl = url('/traceability/lineage', { epc: deep.pack, direction: 'upstream', maxDepth: '25' })
      const upstream = await timeGet(upstreamUrl, SETTINGS.upstreamRuns, SETTINGS.warmUp)
      const upstreamBody = JSON.parse(upstream.body) as LineageBody
      const reached = new Set(upstreamBody.nodes.map((n) => n.id))
      const missing = deep.lots.filter((lot) => !reached.has(lot))
      if (missing.length > 0 || upstreamBody.truncated) {
        ctx.problem(`upstream trace incomplete: missing ${missing.slice(0, 3).join(', ')}`)
      }
      const upstreamNodes = upstreamBody.nodes.length
      rows.push(
        ...rowsFor(
          `GET /traceability/lineage upstream, 20 steps (${upstreamNodes} nodes) vs ${upstreamNodes} PK fetches`,
          upstream.summary,
          await pkFetches(pool, chain, upstreamNodes, SETTINGS.upstreamRuns, random),
        ),
      )

      ctx.log('lineage: upstream from an ordinary retail pack')
      const ordinaryUrl = url('/traceability/lineage', { epc: chain.samplePack, direction: 'upstream' })
      const ordinary = await timeGet(ordinaryUrl, SETTINGS.upstreamRuns, SETTINGS.warmUp)
      const ordinaryBody = JSON.parse(ordinary.body) as LineageBody
      if (!ordinaryBody.nodes.some((n) => n.id === chain.sampleFarmLot)) {
        ctx.problem('the ordinary pack’s upstream misses its farm lot')
      }
      const ordinaryNodes = ordinaryBody.nodes.length
      rows.push(
        ...rowsFor(
          `GET /traceability/lineage upstream, ordinary pack (${ordinaryNodes} nodes) vs ${ordinaryNodes} PK fetches`,
          ordinary.summary,
          await pkFetches(pool, chain, ordinaryNodes, SETTINGS.upstreamRuns, random),
        ),
      )

      ctx.log('lineage: recall from a farm lot fanning out to 10,000 packs')
      const recallUrl = url('/traceability/recall', { epc: chain.bigFarmLot })
      const recall = await timeGet(recallUrl, SETTINGS.recallRuns, 1)
      const recallBody = JSON.parse(recall.body) as RecallBody
      const packs = recallBody.items.filter((i) => i.id.includes('/21/')).length
      if (packs !== SETTINGS.bigBatchPacks || recallBody.truncated) {
        ctx.problem(`recall found ${packs} packs (truncated: ${recallBody.truncated}), ${SETTINGS.bigBatchPacks} expected`)
      }
      const items = recallBody.items.length
      const recallBaseline = await pkFetches(pool, chain, items, SETTINGS.recallRuns, random)
      const recallWhat = `GET /traceability/recall, ${count(items)} items (JSON) vs ${count(items)} PK fetches`
      rows.push(...rowsFor(recallWhat, recall.summary, recallBaseline))
      const csv = await timeGet(recallUrl, SETTINGS.recallRuns, 1, { accept: 'text/csv' })
      rows.push({
        measurement: 'GET /traceability/recall, the same as text/csv: median',
        value: csv.summary.median,
        unit: 'ms',
        baseline: recallBaseline.median,
        ratio: ratio(csv.summary.median, recallBaseline.median),
      })

      ctx.log('lineage: state of one pack')
      const state = await timeGet(url('/traceability/state', { epc: chain.samplePack }), SETTINGS.stateRuns, SETTINGS.warmUp)
      const stateBaseline = await pkFetches(pool, chain, 1, SETTINGS.stateRuns, random)
      rows.push({
        measurement: 'GET /traceability/state of a pack in a case: median (vs 1 PK fetch)',
        value: state.summary.median,
        unit: 'ms',
        baseline: stateBaseline.median,
        ratio: ratio(state.summary.median, stateBaseline.median),
      })

      ctx.note(
        'lineage: times are client-side, from sending the GET to the last byte of the body, one request at a time over ' +
          `HTTP on localhost; baseline: "${PK_FETCH}" with random ids on one connection, one round trip each, as many as ` +
          'the answer has nodes (items for the recall). Targets: 20-step upstream under 50 ms, 10,000-item recall under ' +
          '1 s (2 cores).',
      )
      if (running.errorLog.length > 0) {
        ctx.problem(`the app logged ${running.errorLog.length} error line(s); first: ${running.errorLog[0]!.slice(0, 400)}`)
      }
      return rows
    } finally {
      await running.close()
      await pool.end()
    }
  },
}
