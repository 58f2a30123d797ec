/**
 * Where the time and memory of a large XML capture go, stage by stage, in this process (no database):
 * `node --expose-gc --import tsx bench/xml-capture-profile.ts [file.xml] [apart]` (default: the
 * xml-capture scenario's document; `apart` checks and converts with the library calls one after the other).
 */
import { readFile } from 'node:fs/promises'
import { validateXml, xmlToEpcisDocument } from '../src/epcis/xml/index.js'
import { xmlCaptureDocument } from '../src/capture/xml-input.js'
import { prepareCapture } from '../src/capture/prepare.js'
import { largeXmlDocument } from './xml-capture-document.js'

const MiB = 1024 * 1024
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
let sampled = 0
const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 10)
function stage(name: string, started: number): void {
  const peak = process.resourceUsage().maxRSS * 1024
  gc()
  const m = process.memoryUsage()
  console.log(
    `${name.padEnd(28)} ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  cpu ${((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1).padStart(5)} s  peak ${(peak / MiB).toFixed(0).padStart(4)}  rss ${(m.rss / MiB).toFixed(0).padStart(4)}  heap ${(m.heapUsed / MiB).toFixed(0).padStart(4)}  external ${(m.external / MiB).toFixed(0).padStart(4)}  arrayBuffers ${(m.arrayBuffers / MiB).toFixed(0).padStart(4)}`,
  )
}
let t = performance.now()
stage('idle', t)
const body = process.argv[2] ? await readFile(process.argv[2]) : Buffer.from(largeXmlDocument().xml)
stage('read', t)
t = performance.now()
let document: Record<string, unknown> | undefined
if (process.argv[3] === 'apart') {
  const result = await validateXml(body, { maxBytes: 128 * MiB })
  stage(`validate (${result.valid})`, t)
  t = performance.now()
  document = (await xmlToEpcisDocument(body, { maxBytes: 128 * MiB })) as Record<string, unknown>
  stage('convert', t)
} else {
  document = await xmlCaptureDocument(body, 128 * MiB)
  stage('check and convert', t)
}
t = performance.now()
const prepared = await prepareCapture(document, { behaviour: 'rollback', captureLimit: 1e9, skipSchema: true })
await prepared.eachSlice(2000, async () => {})
stage('prepare + index', t)
t = performance.now()
let text: string | undefined = JSON.stringify(document)
stage(`stringify (${(text.length / MiB).toFixed(0)} Mchars)`, t)
document = undefined
stage('document dropped', t)
t = performance.now()
const again = await prepareCapture(JSON.parse(text), { behaviour: 'rollback', captureLimit: 1e9, skipSchema: true })
text = undefined
await again.eachSlice(2000, async () => {})
stage('job: parse + index', t)
clearInterval(sampler)
console.log(`sampled max rss ${(sampled / MiB).toFixed(0)} MiB`)
