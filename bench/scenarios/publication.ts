import pg from 'pg'
import { authorised, startApp } from '../app-server.js'
import { captureConcurrently, type CaptureRun } from '../capture-client.js'
import { captureDocument, eventStream, nextObjectEvent, type EventStream } from '../data/object-events.js'
import { perSecond, ratio } from '../stats.js'
import type { BenchContext, ResultRow, Scenario } from '../types.js'
import { take } from './capture.js'

/**
 * Rounds of the same number of events captured by one organisation, first under the `auto` publication policy
 * (its events pass every check: published, no row written) and then under `review` (every event held: one
 * event_publication row each). The same organisation, prefixes and locations both times, so that the checks
 * do the same work and only holding differs.
 */
const SETTINGS = { seed: 20240318, rounds: 2, documentsPerRound: 5, eventsPerDocument: 1000, clients: 2, workers: 2, jobWaitMs: 180_000 }

const ORGANISATION = 'bench-publisher'
/** The company prefixes of the generated events (bench/data/object-events.ts): the organisation owns them all. */
const PREFIXES = ['8934567', '89356789', '893123456']
/** The generated events' sites, known as business locations so that the events pass the location checks. */
const SITES = ['urn:epc:id:sgln:8934567.00001.0', 'urn:epc:id:sgln:8934567.00002.0', 'urn:epc:id:sgln:89356789.0001.0', 'urn:epc:id:sgln:893123456.001.0', 'urn:epc:id:sgln:893123456.002.0']
const BUSINESS_LOCATION = 'urn:epcglobal:epcis:vtype:BusinessLocation'

function documents(stream: EventStream, count: number): string[] {
  return Array.from({ length: count }, () => JSON.stringify(captureDocument(take(stream, SETTINGS.eventsPerDocument))))
}

export const publication: Scenario = {
  name: 'publication',
  description: 'capture of the same number of events by an organisation under the auto policy (events pass the checks) and under review (every event held)',

  async run(ctx: BenchContext) {
    const { rounds, documentsPerRound, eventsPerDocument, clients, workers, jobWaitMs } = SETTINGS
    const running = await startApp(ctx.databaseUrl, { CAPTURE_WORKER_CONCURRENCY: workers, REPORT_SCHEDULE: '' })
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 })
    try {
      const call = async (method: string, path: string, body: unknown) => {
        const response = await fetch(`${running.baseUrl}${path}`, { method, headers: authorised({ 'content-type': 'application/json' }), body: JSON.stringify(body) })
        const text = await response.text()
        if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`)
        return JSON.parse(text) as Record<string, unknown>
      }
      await call('POST', '/admin/organizations', { id: ORGANISATION, name: 'Bench publisher', identifiers: PREFIXES })
      const { key } = (await call('POST', '/admin/api-keys', { organization: ORGANISATION, roles: ['capture', 'query'] })) as { key: string }
      const stream = eventStream(SETTINGS.seed)
      // Warm-up, which also records the sites as business locations.
      const warmUp = {
        ...(captureDocument(take(stream, eventsPerDocument)) as Record<string, unknown>),
        epcisHeader: { epcisMasterData: { vocabularyList: [{ type: BUSINESS_LOCATION, vocabularyElementList: SITES.map((id) => ({ id })) }] } },
      }
      const check = (phase: string, run: CaptureRun, expected: number) => {
        const stored = run.finished.reduce((sum, job) => sum + (job.success ? job.storedCount : 0), 0)
        if (run.rejected.length > 0) ctx.problem(`${phase}: ${run.rejected.length} request(s) failed; first: ${run.rejected[0]!.status} ${run.rejected[0]!.body}`)
        if (stored !== expected) ctx.problem(`${phase}: ${stored} events stored, ${expected} expected`)
      }
      check('warm-up', await captureConcurrently(running.baseUrl, [JSON.stringify(warmUp)], 1, jobWaitMs, key), eventsPerDocument)
      const held = async () => Number((await pool.query('SELECT count(*) FROM event_publication')).rows[0].count)
      if ((await held()) !== 0) ctx.problem(`the warm-up held ${await held()} events: the auto phase would not measure events that pass`)

      const times = { auto: 0, review: 0 }
      let events = 0
      for (let round = 0; round < rounds; round++) {
        for (const policy of ['auto', 'review'] as const) {
          await call('PATCH', `/admin/organizations/${ORGANISATION}`, { publicationPolicy: policy })
          const bodies = documents(stream, documentsPerRound)
          const heldBefore = await held()
          ctx.log(`publication: round ${round + 1}, ${policy}: ${documentsPerRound} documents of ${eventsPerDocument} events`)
          const run = await captureConcurrently(running.baseUrl, bodies, clients, jobWaitMs, key)
          check(`${policy} round ${round + 1}`, run, documentsPerRound * eventsPerDocument)
          times[policy] += run.lastSeenFinishedAt - run.firstPostAt
          const newlyHeld = (await held()) - heldBefore
          const expectedHeld = policy === 'auto' ? 0 : documentsPerRound * eventsPerDocument
          if (newlyHeld !== expectedHeld) ctx.problem(`${policy} round ${round + 1}: ${newlyHeld} events held, ${expectedHeld} expected`)
        }
        events += documentsPerRound * eventsPerDocument
      }
      const auto = perSecond(events, times.auto)
      const review = perSecond(events, times.review)
      ctx.note(
        `publication: ${rounds} rounds of ${documentsPerRound} x ${eventsPerDocument.toLocaleString('en-US')} ObjectEvents under auto, then under review, ` +
          `${clients} clients, CAPTURE_WORKER_CONCURRENCY ${workers}, service in-process; rates end to end (first POST to the last job finished). ` +
          'Target: a held event costs capture no more than 10% (ratio >= 0.9).',
      )
      if (running.errorLog.length > 0) ctx.problem(`the app logged ${running.errorLog.length} error line(s); first: ${running.errorLog[0]!.slice(0, 400)}`)
      const rows: ResultRow[] = [
        { measurement: `POST /capture, auto policy, events published (${events.toLocaleString('en-US')} events)`, value: auto, unit: 'events/s' },
        { measurement: `POST /capture, review policy, every event held (${events.toLocaleString('en-US')} events)`, value: review, unit: 'events/s', baseline: auto, ratio: ratio(review, auto) },
      ]
      return rows
    } finally {
      await running.close()
      await pool.end()
    }
  },
}
