import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { authorised, startApp } from '../app-server.js'
import { generateSupplyChain, type GeneratedChain } from '../data/supply-chain.js'
import { ratio, summarize, type Summary } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'

/** The traceability benchmark's chain: 680 batches of 1,000 packs and one of 10,000 (1,003,905 events, all in January 2024). */
const SETTINGS = { batches: 680, packsPerBatch: 1000, bigBatchPacks: 10_000, runs: 3 }
/** REPORTS_BENCH_BATCHES makes a smaller chain while developing (the machine is shared). */
const batches = Number(process.env.REPORTS_BENCH_BATCHES ?? SETTINGS.batches)
const MONTH = { from: '2024-01-01T00:00:00+07:00', to: '2024-02-01T00:00:00+07:00' }
const COUNT = 'SELECT count(*) FROM event WHERE event_time >= $1 AND event_time < $2'

/** Who the generated sites belong to (one organisation per kind of site, by company prefix) and one category. */
const ORGANISATIONS = [
  ['farms', '8939101'],
  ['slaughterhouses', '8939102'],
  ['processors', '8939103'],
  ['distributors', '8939104'],
  ['stores', '8939105'],
] as const

async function timed(runs: number, run: () => Promise<string>): Promise<{ summary: Summary; body: string }> {
  const times: number[] = []
  let body = ''
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    body = await run()
    times.push(performance.now() - started)
  }
  return { summary: summarize(times), body }
}

export const reports: Scenario = {
  name: 'reports',
  description: 'activity and chain reports for a month of the 1,000,000-event supply chain, against a bare count(*) of that month',

  async run(ctx: BenchContext) {
    const running = await startApp(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: 0, STATEMENT_TIMEOUT_MS: 600_000, REPORT_SCHEDULE: '' })
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 })
    try {
      const client = await pool.connect()
      let chain: GeneratedChain
      const generationStarted = performance.now()
      try {
        chain = await generateSupplyChain(client, { ...SETTINGS, batches }, ctx.log)
      } finally {
        client.release()
      }
      const generationS = (performance.now() - generationStarted) / 1000
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${running.baseUrl}${path}`, {
          method,
          headers: authorised(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        const text = await response.text()
        if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`)
        return text
      }
      for (const [id, prefix] of ORGANISATIONS) await call('POST', '/admin/organizations', { id, name: id, identifiers: [prefix] })
      await call('PUT', '/admin/product-categories/pork', { name: { vi: 'Thịt heo', en: 'Pork' }, companyPrefixes: ['8939000'] })

      const query = new URLSearchParams(MONTH).toString()
      const rows: ResultRow[] = []
      ctx.log('reports: bare count(*) of the month')
      const count = await timed(SETTINGS.runs + 1, async () => String((await pool.query(COUNT, [MONTH.from, MONTH.to])).rows[0].count))
      const events = Number(count.body)
      if (events !== chain.events) ctx.problem(`count(*) found ${events} events in the month, ${chain.events} generated`)

      for (const kind of ['activity', 'chain'] as const) {
        ctx.log(`reports: GET /reports/${kind} for the month`)
        const report = await timed(SETTINGS.runs, () => call('GET', `/reports/${kind}?${query}`))
        const body = JSON.parse(report.body) as { totals?: { events: number }; checks?: Record<string, number>; gaps?: unknown[] }
        if (kind === 'activity' && body.totals?.events !== events) ctx.problem(`the activity report counts ${body.totals?.events} events, ${events} expected`)
        const what = kind === 'activity' ? `${events.toLocaleString('en-US')} events` : `${JSON.stringify(body.checks)}, ${body.gaps?.length} gaps`
        rows.push({
          measurement: `GET /reports/${kind} for a month (${what}): median`,
          value: report.summary.median,
          unit: 'ms',
          baseline: count.summary.median,
          ratio: ratio(report.summary.median, count.summary.median),
        })
      }
      ctx.note(
        `reports data: ${chain.events.toLocaleString('en-US')} events (${batches} batches) written with set-based SQL in ${generationS.toFixed(0)} s; ` +
          `times are client-side (JSON over HTTP on localhost), median of ${SETTINGS.runs}; baseline: "${COUNT}" over the same month. ` +
          'Target: each report under 10 s (2 cores).',
      )
      if (running.errorLog.length > 0) ctx.problem(`the app logged ${running.errorLog.length} error line(s); first: ${running.errorLog[0]!.slice(0, 400)}`)
      return rows
    } finally {
      await running.close()
      await pool.end()
    }
  },
}
