/**
 * The service alone in its own process with its default limits, so that the benchmark (in another
 * process, whose timers a stall of the service cannot delay) can measure how long /health/live waits
 * while a capture is checked and stored.
 */
import { startApp } from './app-server.js'

const running = await startApp(process.argv[2]!, { CAPTURE_WORKER_CONCURRENCY: 1 })
process.send?.({ kind: 'listening', baseUrl: running.baseUrl })
process.on('message', async (message: { kind: string }) => {
  if (message.kind !== 'report') return
  await running.close()
  process.send?.({ kind: 'report', errors: running.errorLog })
  process.exit(0)
})
