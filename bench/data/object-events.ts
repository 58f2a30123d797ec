import { Random } from './random.js'

/**
 * Realistic EPCIS 2.0 JSON-LD ObjectEvents of a Vietnamese supply chain (GS1 Vietnam prefix 893):
 * SGTIN-serialised items, a few LGTIN lots by quantity, CBV bare words, SGLN locations, a purchase
 * order, owning-party/location sources and destinations, and one extension field under its own prefix.
 */

type Json = Record<string, unknown>

export const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'
export const EXTENSION_PREFIX = 'vnx'
export const EXTENSION_NAMESPACE = 'https://ns.nguon.example.vn/epcis/'
export const DOCUMENT_CONTEXT: unknown[] = [GS1_CONTEXT, { [EXTENSION_PREFIX]: EXTENSION_NAMESPACE }]

/** Company prefix and the indicator+item references it uses: together always 13 digits. */
const COMPANIES = [
  { prefix: '8934567', items: ['012345', '012346', '112347', '212348'] },
  { prefix: '89356789', items: ['01234', '01235', '11236'] },
  { prefix: '893123456', items: ['0123', '0124', '1125'] },
] as const

const LOT_CLASSES = [
  'urn:epc:class:lgtin:8934567.012345.L2403A',
  'urn:epc:class:lgtin:8934567.012346.L2403B',
  'urn:epc:class:lgtin:89356789.01234.LOT77',
  'urn:epc:class:lgtin:893123456.0123.B-0042',
] as const

/** Company prefix + location reference: 12 digits. */
const SITES = [
  'urn:epc:id:sgln:8934567.00001.0', // Đà Lạt farm
  'urn:epc:id:sgln:8934567.00002.0', // packing house
  'urn:epc:id:sgln:89356789.0001.0', // Hồ Chí Minh City distribution centre
  'urn:epc:id:sgln:893123456.001.0', // Hà Nội store
  'urn:epc:id:sgln:893123456.002.0', // Đà Nẵng store
] as const

const PARTIES = ['urn:epc:id:pgln:8934567.00000', 'urn:epc:id:pgln:89356789.0000', 'urn:epc:id:pgln:893123456.000'] as const

/** Consistent (bizStep, disposition, action) triples, all CBV 2.0 bare words. */
const STEPS = [
  ['commissioning', 'active', 'ADD'],
  ['packing', 'in_progress', 'OBSERVE'],
  ['shipping', 'in_transit', 'OBSERVE'],
  ['receiving', 'in_progress', 'OBSERVE'],
  ['storing', 'sellable_not_accessible', 'OBSERVE'],
  ['inspecting', 'in_progress', 'OBSERVE'],
  ['retail_selling', 'retail_sold', 'OBSERVE'],
] as const

const SERIAL_CHARS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'

/** GS1 mod-10 check digit of a digit string. */
function checkDigit(digits: string): string {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i])
    sum += i % 2 === 0 ? digit * 3 : digit
  }
  return String((10 - (sum % 10)) % 10)
}

function glnOfParty(pgln: string): string {
  const digits = pgln.slice('urn:epc:id:pgln:'.length).replace('.', '')
  return digits + checkDigit(digits)
}

/** The local time at +07:00 in ISO 8601 with milliseconds. */
function atVietnamTime(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().replace('Z', '+07:00')
}

export interface EventStream {
  random: Random
  /** Where the events' times start, and how far apart consecutive events are on average. */
  startMs: number
  stepMs: number
  /** How many events were generated so far (drives the times and the serial numbers). */
  count: number
}

export function eventStream(seed: number, startMs = Date.parse('2024-03-01T00:00:00+07:00'), stepMs = 120_000): EventStream {
  return { random: new Random(seed), startMs, stepMs, count: 0 }
}

function serial(random: Random): string {
  let out = ''
  for (let i = 0; i < 10; i++) out += SERIAL_CHARS[random.int(0, SERIAL_CHARS.length - 1)]
  return out
}

export function nextObjectEvent(stream: EventStream): Json {
  const { random } = stream
  const index = stream.count++
  const company = random.pick(COMPANIES)
  const item = random.pick(company.items)
  const epcList = Array.from(
    { length: random.int(1, 12) },
    () => `urn:epc:id:sgtin:${company.prefix}.${item}.${serial(random)}`,
  )
  const [bizStep, disposition, action] = random.pick(STEPS)
  const from = random.int(0, SITES.length - 1)
  const to = (from + 1) % SITES.length
  const owner = random.pick(PARTIES)
  const buyer = random.pick(PARTIES)
  const eventTime = stream.startMs + index * stream.stepMs + random.int(0, stream.stepMs - 1)

  const event: Json = {
    type: 'ObjectEvent',
    eventID: `urn:uuid:${random.uuid()}`,
    eventTime: atVietnamTime(eventTime),
    eventTimeZoneOffset: '+07:00',
    epcList,
  }
  if (random.chance(0.3)) {
    event.quantityList = Array.from({ length: random.int(1, 2) }, (_, i) => ({
      epcClass: LOT_CLASSES[(index + i) % LOT_CLASSES.length],
      quantity: random.int(10, 500),
      ...(i === 0 ? { uom: 'KGM' } : {}),
    }))
  }
  Object.assign(event, {
    action,
    bizStep,
    disposition,
    readPoint: { id: SITES[from] },
    bizLocation: { id: SITES[from] },
    bizTransactionList: [
      { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${glnOfParty(buyer)}:PO-2024-${String(random.int(1, 9999)).padStart(4, '0')}` },
    ],
    sourceList: [
      { type: 'owning_party', source: owner },
      { type: 'location', source: SITES[from] },
    ],
    destinationList: [
      { type: 'owning_party', destination: buyer },
      { type: 'location', destination: SITES[to] },
    ],
    [`${EXTENSION_PREFIX}:coldChain`]: {
      [`${EXTENSION_PREFIX}:maxTemperature`]: Math.round((2 + random.next() * 6) * 10) / 10,
      [`${EXTENSION_PREFIX}:loggerId`]: `LG-${String(random.int(1, 300)).padStart(4, '0')}`,
    },
  })
  return event
}

export function captureDocument(events: Json[], creationDate = new Date()): Json {
  return {
    '@context': DOCUMENT_CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: { eventList: events },
  }
}

/** An event for POST /events: the same shape, carrying its own @context. */
export function standaloneEvent(event: Json): Json {
  return { '@context': DOCUMENT_CONTEXT, ...event }
}
