import fp from 'fastify-plugin'
import type PgBoss from 'pg-boss'
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
}

/** Capture workers: any instance takes any queued capture job from PostgreSQL and stores its events. */
export default fp<CaptureWorkerOptions>(
  async (app, options) => {
    await app.queue.createQueue(CAPTURE_QUEUE)
    const workerIds: string[] = []
    // The jobs' database work uses the capture pool.
    const handle = (jobs: PgBoss.JobWithMetadata<{ captureId: string }>[]) => runAs('capture', () => handleJobs(jobs))
    const handleJobs = async (jobs: PgBoss.JobWithMetadata<{ captureId: string }>[]) => {
      for (const job of jobs) {
        const { captureId } = job.data
        try {
          await runCaptureJob({ db: app.db, captureLimit: options.captureLimit }, captureId)
        } catch (err) {
          app.log.error({ err, captureId, attempt: job.retryCount + 1 }, 'capture job failed')
          if (job.retryCount + 1 >= MAX_ATTEMPTS) await abandonCaptureJob(app.db, captureId)
          else throw err
        }
      }
    }
    for (let i = 0; i < options.concurrency; i++) {
      workerIds.push(
        await app.queue.work<{ captureId: string }>(
          CAPTURE_QUEUE,
          { pollingIntervalSeconds: 1, batchSize: 1, includeMetadata: true },
          handle,
        ),
      )
    }
    app.decorate('wakeCaptureWorkers', () => {
      for (const id of workerIds) app.queue.notifyWorker(id)
    })
  },
  { name: 'capture-worker', dependencies: ['queue', 'database'] },
)
