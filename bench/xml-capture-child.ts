/**
 * The service alone in its own process, so that its peak memory while capturing one large XML
 * document can be read (process.resourceUsage().maxRSS) without the benchmark's own data in it.
 */
import { startApp } from './app-server.js'

const databaseUrl = process.argv[2]!
const running = await startApp(databaseUrl, {
  CAPTURE_LIMIT: 200_000,
  CAPTURE_FILE_SIZE_LIMIT: 128 * 1024 * 1024,
  CAPTURE_WORKER_CONCURRENCY: 1,
})
const baseline = process.memoryUsage().rss
process.send?.({ kind: 'listening', baseUrl: running.baseUrl, idleRss: baseline })
process.on('message', async (message: { kind: string }) => {
  if (message.kind !== 'report') return
  const maxRss = process.resourceUsage().maxRSS * 1024
  await running.close()
  process.send?.({ kind: 'report', maxRss, errors: running.errorLog })
  process.exit(0)
})
