import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import type PgBoss from 'pg-boss'
import { sql } from 'kysely'
import { isDatabaseUnavailable } from '../db/connection-errors.js'
import { runAs } from '../db/work-class.js'
import { CAPTURE_QUEUE } from './job-writer.js'
import { abandonCaptureJob, MAX_ATTEMPTS, runCaptureJob } from './service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Wakes this instance's capture workers now instead of at their next poll. */
    wakeCaptureWorkers(): void
  }
}

export interface CaptureWorkerOptions {
  concurrency: number
  captureLimit: number
  /**
   * Once the app starts closing, how long running jobs may go on; then they are rolled back and handed
   * back to the queue, where another instance takes them within seconds.
   */
  drainMs: number
}

type QueuedJob = PgBoss.JobWithMetadata<{ captureId: string }>

/** How often an idle worker asks the queue for a job (wakeCaptureWorkers asks at once). */
const POLL_MS = 1000
/** How often a worker cut off by a database outage checks whether the database is back. */
const RECONNECT_MS = 500

/**
 * Capture workers: any instance takes any queued capture job from PostgreSQL and stores its events.
 * Each worker runs its own loop over pg-boss's fetch/complete/fail so that it can ride through a
 * database outage (a job cut off by it runs again as soon as the database answers, without waiting for
 * the queue's expiry) and hand its job back when the app closes.
 */
export default fp<CaptureWorkerOptions>(
  async (app, options) => {
    await app.queue.createQueue(CAPTURE_QUEUE)
    let stopping = false
    const handBackNow = new AbortController()
    const sleepers = new Set<() => void>()
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          sleepers.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, ms)
        sleepers.add(wake)
      })
    const wakeAll = () => {
      for (const wake of [...sleepers]) wake()
    }

    /** Resolves when the database answers again; false when the app gave up waiting (closing). */
    const databaseBack = async (): Promise<boolean> => {
      while (!handBackNow.signal.aborted) {
        try {
          await sql`SELECT 1`.execute(app.db)
          return true
        } catch {
          await sleep(RECONNECT_MS)
        }
      }
      return false
    }

    /** Runs a queue or job-table update, waiting out a database outage; false when it could not be done. */
    const settle = async (what: string, log: FastifyBaseLogger, update: () => Promise<unknown>): Promise<boolean> => {
      for (;;) {
        try {
          await update()
          return true
        } catch (err) {
          if (!isDatabaseUnavailable(err) || !(await databaseBack())) {
            log.error({ err }, `could not ${what}; the queue will retry the job after its expiry`)
            return false
          }
        }
      }
    }

    const run = async (job: QueuedJob) => {
      const { captureId } = job.data
      const log = app.log.child({ captureId, queueJobId: job.id })
      for (;;) {
        try {
          await runCaptureJob({ db: app.db, captureLimit: options.captureLimit, signal: handBackNow.signal }, captureId)
          await settle('mark the capture job done', log, () => app.queue.complete(CAPTURE_QUEUE, job.id))
          return
        } catch (err) {
          if (handBackNow.signal.aborted) {
            log.warn('capture job rolled back and handed back to the queue: this instance is shutting down')
            await settle('hand the capture job back', log, async () => {
              await app.queue.fail(CAPTURE_QUEUE, job.id, { message: 'handed back: the instance running it shut down' })
              // On its last attempt the queue would mark it failed: a hand-back is no failure of the job.
              if (job.retryCount >= job.retryLimit) await app.queue.retry(CAPTURE_QUEUE, job.id)
            })
            return
          }
          if (isDatabaseUnavailable(err)) {
            log.warn({ err }, 'capture job cut off: the database is unavailable; it runs again as soon as the database answers')
            if (await databaseBack()) continue
            return
          }
          log.error({ err, attempt: job.retryCount + 1 }, 'capture job failed')
          if (job.retryCount + 1 >= MAX_ATTEMPTS) {
            await settle('abandon the capture job', log, () => abandonCaptureJob(app.db, captureId))
            await settle('mark the capture job done', log, () => app.queue.complete(CAPTURE_QUEUE, job.id))
          } else {
            await settle('return the capture job for a retry', log, () =>
              app.queue.fail(CAPTURE_QUEUE, job.id, { message: (err as Error).message }),
            )
          }
          return
        }
      }
    }

    const workLoop = async () => {
      while (!stopping) {
        // fetch answers [] when the database is unreachable: the loop just polls again.
        const [job] = await app.queue.fetch<{ captureId: string }>(CAPTURE_QUEUE, { batchSize: 1, includeMetadata: true })
        if (job) await run(job)
        else await sleep(POLL_MS)
      }
    }
    const loops = Array.from({ length: options.concurrency }, () =>
      // The jobs' database work uses the capture pool.
      runAs('capture', workLoop).catch((err: unknown) => app.log.error({ err }, 'capture worker stopped')),
    )

    app.decorate('wakeCaptureWorkers', wakeAll)
    let drainTimer: NodeJS.Timeout | undefined
    app.addHook('preClose', async () => {
      stopping = true
      wakeAll()
      drainTimer = setTimeout(() => handBackNow.abort(), options.drainMs)
    })
    app.addHook('onClose', async () => {
      await Promise.all(loops)
      clearTimeout(drainTimer)
    })
  },
  { name: 'capture-worker', dependencies: ['queue', 'database'] },
)
