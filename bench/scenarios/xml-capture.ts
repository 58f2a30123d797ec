import { fork } from 'node:child_process'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchContext, ResultRow, Scenario } from '../types.js'

const TARGET_BYTES = 50 * 1024 * 1024
const MiB = 1024 * 1024

function objectEventXml(i: number): string {
  const serial = 100000 + i
  return `<ObjectEvent><eventTime>2024-05-0${1 + (i % 9)}T0${i % 10}:15:00.000+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
<epcList><epc>urn:epc:id:sgtin:8934567.012345.${serial}</epc><epc>urn:epc:id:sgtin:8934567.012345.${serial}A</epc></epcList>
<action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep><disposition>urn:epcglobal:cbv:disp:in_transit</disposition>
<readPoint><id>urn:epc:id:sgln:8934567.00001.${i % 500}</id></readPoint><bizLocation><id>urn:epc:id:sgln:8934567.00001.0</id></bizLocation>
<bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:8934567000017:PO-${i}</bizTransaction></bizTransactionList>
<sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:8934567.00001</source></sourceList>
<destinationList><destination type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:8934568.00002</destination></destinationList>
<vn:lo>Lô ${i % 97}</vn:lo></ObjectEvent>
`
}

/** An EPCIS 2.0 XML document of about TARGET_BYTES, and how many events it holds. */
function largeDocument(): { xml: string; events: number } {
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:vn="https://nguon.example.vn/epcis/" schemaVersion="2.0" creationDate="2024-05-01T00:00:00Z"><EPCISBody><EventList>\n`,
  ]
  let bytes = parts[0]!.length
  let events = 0
  while (bytes < TARGET_BYTES) {
    const event = objectEventXml(events++)
    parts.push(event)
    bytes += Buffer.byteLength(event)
  }
  parts.push('</EventList></EPCISBody></epcis:EPCISDocument>\n')
  return { xml: parts.join(''), events }
}

interface ChildMessage {
  kind: string
  baseUrl?: string
  idleRss?: number
  maxRss?: number
  errors?: string[]
}

export const xmlCapture: Scenario = {
  name: 'xml-capture',
  description: 'one 50 MB EPCIS XML document captured by a service running in its own process: time and peak memory',
  async run(ctx: BenchContext): Promise<ResultRow[]> {
    const folder = await mkdtemp(join(tmpdir(), 'nguon-xml-bench-'))
    const file = join(folder, 'large.xml')
    const { xml, events } = largeDocument()
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
      const response = await fetch(`${ready.baseUrl}/capture`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body })
      const accepted = performance.now()
      if (response.status !== 202) {
        ctx.problem(`xml-capture: POST /capture answered ${response.status}: ${(await response.text()).slice(0, 300)}`)
        child.send({ kind: 'report' })
        await next()
        return []
      }
      const location = `${ready.baseUrl}${response.headers.get('location')}`
      let job: { running: boolean; success: boolean; storedCount: number } = { running: true, success: false, storedCount: 0 }
      while (job.running) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        job = (await (await fetch(location)).json()) as typeof job
      }
      const finished = performance.now()
      if (!job.success || job.storedCount !== events) ctx.problem(`xml-capture: job ended success=${job.success}, stored ${job.storedCount}/${events}`)
      child.send({ kind: 'report' })
      const report = await next()
      for (const line of report.errors?.slice(0, 3) ?? []) ctx.problem(`xml-capture: service logged ${line.slice(0, 300)}`)
      ctx.note(`xml-capture: peak memory is the service process's maximum resident set size (it also holds its idle ${((ready.idleRss ?? 0) / MiB).toFixed(0)} MiB)`)
      return [
        { measurement: `POST /capture of ${(size / MiB).toFixed(0)} MiB XML until 202 (XSD, convert, check)`, value: (accepted - started) / 1000, unit: 's' },
        { measurement: 'the same document until its job finished', value: (finished - started) / 1000, unit: 's' },
        { measurement: 'events stored per second, end to end', value: events / ((finished - started) / 1000), unit: 'events/s' },
        { measurement: 'peak memory of the service process', value: (report.maxRss ?? 0) / MiB, unit: 'MiB', baseline: 600, ratio: (report.maxRss ?? 0) / MiB / 600 },
      ]
    } finally {
      child.kill()
      await rm(folder, { recursive: true, force: true })
    }
  },
}
