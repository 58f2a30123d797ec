/**
 * The service alone in its own process, so that its peak memory while capturing one large XML
 * document can be read (process.resourceUsage().maxRSS) without the benchmark's own data in it.
 * It also samples its resident set size, so that the peak can be split between the request (until
 * the 202) and the capture job: `mark` answers the sampled peak so far and starts a new one.
 */
import { startApp } from './app-server.js'

const databaseUrl = process.argv[2]!
const running = await startApp(databaseUrl, {
  CAPTURE_LIMIT: 200_000,
  CAPTURE_FILE_SIZE_LIMIT: 128 * 1024 * 1024,
  CAPTURE_WORKER_CONCURRENCY: 1,
})
const baseline = process.memoryUsage().rss
const cpuAtReady = process.cpuUsage()
/** CPU seconds of the service process (every thread, the XSD worker's too) since it was ready. */
const cpuSeconds = () => {
  const used = process.cpuUsage(cpuAtReady)
  return (used.user + used.system) / 1e6
}
let sampledPeak = baseline
/** The highest sample of each second since the service was ready, for a timeline of the capture. */
const perSecond: number[] = []
const started = performance.now()
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss
  const second = Math.floor((performance.now() - started) / 1000)
  perSecond[second] = Math.max(perSecond[second] ?? 0, rss)
  sampledPeak = Math.max(sampledPeak, rss)
}, 20)
process.send?.({ kind: 'listening', baseUrl: running.baseUrl, idleRss: baseline })
process.on('message', async (message: { kind: string }) => {
  if (message.kind === 'mark') {
    process.send?.({ kind: 'mark', sampledPeak, second: Math.floor((performance.now() - started) / 1000), cpuSeconds: cpuSeconds() })
    sampledPeak = process.memoryUsage().rss
    return
  }
  if (message.kind !== 'report') return
  clearInterval(sampler)
  const maxRss = process.resourceUsage().maxRSS * 1024
  const cpu = cpuSeconds()
  await running.close()
  process.send?.({ kind: 'report', maxRss, cpuSeconds: cpu, sampledPeak, perSecond: Array.from(perSecond, (rss) => rss ?? 0), errors: running.errorLog })
  process.exit(0)
})
