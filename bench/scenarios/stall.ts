import { fork } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { authorised } from '../app-server.js'
import { configWithDefaults } from '../../src/config.js'
import { captureDocument, eventStream, nextObjectEvent } from '../data/object-events.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'

const MiB = 1024 * 1024

/**
 * The largest documents the default limits accept, in two shapes: as many events as CAPTURE_LIMIT allows, and
 * events of MAX_EPCS_PER_EVENT EPCs each (the longest single event to check and index). BENCH_STALL_MB scales
 * both down (e.g. 8 for a quick run); by default they fill CAPTURE_FILE_SIZE_LIMIT.
 */
function documents(): Array<{ shape: string; body: string; events: number }> {
  const config = configWithDefaults()
  const budget = Math.min(config.CAPTURE_FILE_SIZE_LIMIT, Number(process.env.BENCH_STALL_MB ?? Infinity) * MiB) - 64 * 1024
  const stream = eventStream(7)
  let serial = 0
  // Events without a quantity list, so that their epcList alone makes their count of identifiers.
  const event = (epcList: string[]) => {
    const { quantityList: _, ...rest } = nextObjectEvent(stream)
    return { ...rest, epcList }
  }
  const fill = (epcsPerEvent: number, maxEvents: number) => {
    const epcs = () => Array.from({ length: epcsPerEvent }, () => `urn:epc:id:sgtin:8934567.012345.${++serial}`)
    // Serials grow longer as they count up: events are added while the document still fits the budget.
    const events: Array<ReturnType<typeof event>> = []
    let length = JSON.stringify(captureDocument([])).length
    while (events.length < maxEvents) {
      const next = event(epcs())
      const added = JSON.stringify(next).length + 1
      if (events.length > 0 && length + added > budget) break
      events.push(next)
      length += added
    }
    return { body: JSON.stringify(captureDocument(events)), events: events.length }
  }
  const manyEvents = Math.max(1, Math.floor(budget / config.CAPTURE_LIMIT / 44))
  return [
    { shape: `${config.CAPTURE_LIMIT} events or fewer`, ...fill(manyEvents, config.CAPTURE_LIMIT) },
    { shape: `events of ${config.MAX_EPCS_PER_EVENT} EPCs`, ...fill(config.MAX_EPCS_PER_EVENT, config.CAPTURE_LIMIT) },
  ]
}

/** Asks /health/live back to back (at most every 5 ms) until stopped; the slowest answer is the worst stall. */
function probe(baseUrl: string): { stop(): Promise<{ worstMs: number; count: number; p99Ms: number }> } {
  const latencies: number[] = []
  let running = true
  const loop = (async () => {
    while (running) {
      const sent = performance.now()
      await (await fetch(`${baseUrl}/health/live`)).arrayBuffer()
      latencies.push(performance.now() - sent)
      await sleep(5)
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      const sorted = [...latencies].sort((a, b) => a - b)
      return { worstMs: sorted.at(-1) ?? 0, count: sorted.length, p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0 }
    },
  }
}

export const stall: Scenario = {
  name: 'stall',
  description: 'worst /health/live latency (event-loop stall) while the largest accepted JSON documents are captured',
  async run(ctx: BenchContext): Promise<ResultRow[]> {
    const child = fork(new URL('../stall-child.ts', import.meta.url), [ctx.databaseUrl], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const next = () => new Promise<{ kind: string; baseUrl?: string; errors?: string[] }>((resolve) => child.once('message', (m) => resolve(m as never)))
    const rows: ResultRow[] = []
    try {
      const { baseUrl } = await next()
      for (const { shape, body, events } of documents()) {
        const size = `${(body.length / MiB).toFixed(1)} MiB, ${events} events`
        ctx.log(`stall: ${shape} (${size})`)
        const untilAccepted = probe(baseUrl!)
        const started = performance.now()
        const response = await fetch(`${baseUrl}/capture`, { method: 'POST', headers: authorised({ 'content-type': 'application/json' }), body })
        const accepted = performance.now()
        const request = await untilAccepted.stop()
        if (response.status !== 202) {
          ctx.problem(`stall: POST /capture (${shape}) answered ${response.status}: ${(await response.text()).slice(0, 300)}`)
          continue
        }
        const location = `${baseUrl}${response.headers.get('location')}`
        const duringJob = probe(baseUrl!)
        let job = { running: true, success: false, storedCount: 0 }
        while (job.running) {
          await sleep(100)
          job = (await (await fetch(location, { headers: authorised() })).json()) as typeof job
        }
        const finished = performance.now()
        const worker = await duringJob.stop()
        if (!job.success || job.storedCount !== events) ctx.problem(`stall: job (${shape}) stored ${job.storedCount} of ${events}`)
        rows.push(
          { measurement: `${shape} (${size}): until 202`, value: (accepted - started) / 1000, unit: 's' },
          { measurement: '  worst /health/live until 202', value: request.worstMs, unit: 'ms' },
          { measurement: '  p99 /health/live until 202', value: request.p99Ms, unit: 'ms' },
          { measurement: '  job after the 202', value: (finished - accepted) / 1000, unit: 's' },
          { measurement: '  worst /health/live during the job', value: worker.worstMs, unit: 'ms' },
        )
      }
      child.send({ kind: 'report' })
      const report = await next()
      for (const line of report.errors?.slice(0, 3) ?? []) ctx.problem(`stall: service logged ${line.slice(0, 300)}`)
      ctx.note('stall: latency is measured from the benchmark process; the service runs alone in its own process')
      return rows
    } finally {
      child.kill()
    }
  },
}
