/**
 * The service alone in its own process, so that its CPU time (process.cpuUsage) and memory are its own and
 * not the benchmark clients'. argv: the database URL and a JSON object of configuration overrides.
 * Messages: 'cpu' answers the CPU seconds used so far; 'report' closes the service and answers its error log.
 */
import { startApp } from './app-server.js'

const running = await startApp(process.argv[2]!, JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>)
process.send?.({ kind: 'listening', baseUrl: running.baseUrl })
process.on('message', async (message: { kind: string }) => {
  if (message.kind === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send?.({ kind: 'cpu', seconds: (user + system) / 1e6, rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 })
    return
  }
  if (message.kind !== 'report') return
  await running.close()
  process.send?.({ kind: 'report', errors: running.errorLog })
  process.exit(0)
})
