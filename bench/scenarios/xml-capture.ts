import { fork } from 'node:child_process'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchContext, ResultRow, Scenario } from '../types.js'
import { authorised } from '../app-server.js'
import { largeXmlDocument } from '../xml-capture-document.js'

const MiB = 1024 * 1024
/** Issue #15: the service's peak resident memory while capturing the document. */
const PEAK_RSS_TARGET_MIB = 400

interface ChildMessage {
  kind: string
  baseUrl?: string
  idleRss?: number
  maxRss?: number
  sampledPeak?: number
  second?: number
  perSecond?: number[]
  errors?: string[]
  cpuSeconds?: number
}

export const xmlCapture: Scenario = {
  name: 'xml-capture',
  description: 'one 50 MB EPCIS XML document captured by a service running in its own process: time and peak memory',
  async run(ctx: BenchContext): Promise<ResultRow[]> {
    const folder = await mkdtemp(join(tmpdir(), 'nguon-xml-bench-'))
    const file = join(folder, 'large.xml')
    const { xml, events } = largeXmlDocument()
    await writeFile(file, xml)
    const size = (await stat(file)).size
    ctx.log(`xml-capture: ${(size / MiB).toFixed(1)} MiB, ${events} ObjectEvents`)
    const child = fork(new URL('../xml-capture-child.ts', import.meta.url), [ctx.databaseUrl], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const next = () => new Promise<ChildMessage>((resolve) => child.once('message', (m) => resolve(m as ChildMessage)))
    try {
      const ready = await next()
      const body = await readFile(file)
      const started = performance.now()
      const response = await fetch(`${ready.baseUrl}/capture`, { method: 'POST', headers: authorised({ 'content-type': 'application/xml' }), body })
      const accepted = performance.now()
      if (response.status !== 202) {
        ctx.problem(`xml-capture: POST /capture answered ${response.status}: ${(await response.text()).slice(0, 300)}`)
        child.send({ kind: 'report' })
        await next()
        return []
      }
      const location = `${ready.baseUrl}${response.headers.get('location')}`
      child.send({ kind: 'mark' })
      const untilAccepted = await next()
      let job: { running: boolean; success: boolean; storedCount: number } = { running: true, success: false, storedCount: 0 }
      while (job.running) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        job = (await (await fetch(location, { headers: authorised() })).json()) as typeof job
      }
      const finished = performance.now()
      if (!job.success || job.storedCount !== events) ctx.problem(`xml-capture: job ended success=${job.success}, stored ${job.storedCount}/${events}`)
      child.send({ kind: 'report' })
      const report = await next()
      for (const line of report.errors?.slice(0, 3) ?? []) ctx.problem(`xml-capture: service logged ${line.slice(0, 300)}`)
      const timeline = (report.perSecond ?? []).map((rss) => (rss / MiB).toFixed(0)).join(' ')
      ctx.log(`xml-capture: highest RSS (MiB) of each second, 202 in second ${untilAccepted.second}: ${timeline}`)
      ctx.note(`xml-capture: peak memory is the service process's maximum resident set size (it also holds its idle ${((ready.idleRss ?? 0) / MiB).toFixed(0)} MiB)`)
      return [
        { measurement: `POST /capture of ${(size / MiB).toFixed(0)} MiB XML until 202 (XSD, convert, check)`, value: (accepted - started) / 1000, unit: 's' },
        { measurement: 'the same document until its job finished', value: (finished - started) / 1000, unit: 's' },
        { measurement: 'events stored per second, end to end', value: events / ((finished - started) / 1000), unit: 'events/s' },
        { measurement: 'CPU of the service process until 202 (every thread)', value: untilAccepted.cpuSeconds ?? 0, unit: 's' },
        { measurement: 'CPU of the service process until the job finished', value: report.cpuSeconds ?? 0, unit: 's' },
        { measurement: 'peak memory of the service process (against the 400 MiB target)', value: (report.maxRss ?? 0) / MiB, unit: 'MiB', baseline: PEAK_RSS_TARGET_MIB, ratio: (report.maxRss ?? 0) / MiB / PEAK_RSS_TARGET_MIB },
        { measurement: '  of which sampled until the 202 (every 20 ms)', value: (untilAccepted.sampledPeak ?? 0) / MiB, unit: 'MiB' },
        { measurement: '  of which sampled during the capture job', value: (report.sampledPeak ?? 0) / MiB, unit: 'MiB' },
      ]
    } finally {
      child.kill()
      await rm(folder, { recursive: true, force: true })
    }
  },
}
