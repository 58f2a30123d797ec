/**
 * `node --import tsx bench/index-event.ts [rounds] [events] [kind]`: Node CPU per event spent in indexEvent (the
 * capture request's indexing, event hash included), without a database. Each round indexes fresh events (new
 * serials, as a real capture sees), generated and JSON round-tripped before the clock starts; the first round
 * warms the JIT up and is not counted. Prints each round and the minimum (the machine is shared: take the minimum).
 * kind: object (default, the capture bench's ObjectEvents) or one of aggregation, transformation, shipping, sensor.
 */
import { collectExtensionNames, type EpcisEvent } from '../src/epcis/document.js'
import { indexEvent } from '../src/epcis/event-index.js'
import { resolveContext } from '../src/epcis/json-ld-context.js'
import { DOCUMENT_CONTEXT, eventStream, nextObjectEvent } from './data/object-events.js'
import { MixedEvents, MIX_KINDS, type MixKind } from './data/mixed-events.js'

const rounds = Number(process.argv[2] ?? 6)
const count = Number(process.argv[3] ?? 10_000)
const kind = process.argv[4] ?? 'object'
if (kind !== 'object' && !MIX_KINDS.includes(kind as MixKind)) throw new Error(`unknown kind ${kind}`)

function generate(round: number): EpcisEvent[] {
  const stream = eventStream(1000 + round)
  const mixed = new MixedEvents(2000 + round)
  const events = Array.from({ length: count }, () => (kind === 'object' ? nextObjectEvent(stream) : mixed.next(kind as MixKind)))
  return JSON.parse(JSON.stringify(events)) as EpcisEvent[]
}

const names = new Set<string>()
for (const event of generate(0).slice(0, 100)) collectExtensionNames(event, names)
const context = await resolveContext(DOCUMENT_CONTEXT, names)

const perEvent: number[] = []
for (let round = 0; round <= rounds; round++) {
  const events = generate(round)
  const before = process.cpuUsage()
  let sink = 0
  for (let i = 0; i < events.length; i++) sink += indexEvent(events[i]!, context, `/epcisBody/eventList/${i}`).identifiers.length
  const used = process.cpuUsage(before)
  const micros = (used.user + used.system) / events.length
  if (sink === 0) throw new Error('nothing indexed')
  if (round > 0) perEvent.push(micros)
  console.log(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${micros.toFixed(1)} µs/event`)
}
console.log(`${kind}: min ${Math.min(...perEvent).toFixed(1)} µs/event over ${rounds} rounds of ${count}`)
