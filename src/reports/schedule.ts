import fp from 'fastify-plugin'
import { keepPeriodicReports, type ReportSettings } from './kept.js'

export const REPORT_QUEUE = 'periodic-reports'

export interface ReportSchedulePluginOptions extends ReportSettings {
  /** Cron expression (pg-boss schedule, in `timeZone`); empty: no periodic reports. */
  cron: string
}

/**
 * Periodic reports: pg-boss sends one job per cron tick (monthly by default: 01:00 on the 1st), whichever instance's
 * clock monitor fires; any instance's worker keeps the month before's activity and chain reports, each once.
 */
export default fp<ReportSchedulePluginOptions>(
  async (app, options) => {
    const settings: ReportSettings = { originDepth: options.originDepth, timeZone: options.timeZone }
    await app.queue.createQueue(REPORT_QUEUE)
    if (options.cron.trim() === '') await app.queue.unschedule(REPORT_QUEUE)
    else await app.queue.schedule(REPORT_QUEUE, options.cron, {}, { tz: options.timeZone })
    await app.queue.work(REPORT_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
      const kept = await keepPeriodicReports({ db: app.db, pool: app.pool }, settings)
      app.log.info({ reports: kept.map((r) => r.id) }, 'periodic reports kept')
    })
    app.addHook('onClose', async () => {
      await app.queue.offWork(REPORT_QUEUE)
    })
  },
  { name: 'report-schedule', dependencies: ['queue', 'database'] },
)
