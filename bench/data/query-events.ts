import { Random } from './random.js'

/**
 * A realistic EPCIS 2.0 event stream of a Vietnamese food supply chain, for the query benchmark:
 * all five event types, serialised items that live through several events (commissioned, packed,
 * shipped, received, sold), lots by quantity, thousands of locations, business transactions,
 * sources and destinations, an extension field on a third of the events and temperature sensor
 * data on a tenth, over one year. Deterministic for a seed.
 */

type Json = Record<string, unknown>

export const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'
export const EXTENSION_PREFIX = 'vnx'
export const EXTENSION_NAMESPACE = 'https://ns.nguon.example.vn/epcis/'
export const DOCUMENT_CONTEXT: unknown[] = [GS1_CONTEXT, { [EXTENSION_PREFIX]: EXTENSION_NAMESPACE }]

const COMPANY_COUNT = 20
const SITES_PER_COMPANY = 150
const PRODUCTS_PER_COMPANY = 10
const LOGGERS = 400
const YEAR_MS = 365 * 24 * 3_600_000
const START_MS = Date.parse('2024-01-01T00:00:00+07:00')

interface Company {
  prefix: string
  items: string[]
  sites: string[]
  party: string
}

/** GS1 mod-10 check digit of a digit string. */
function checkDigit(digits: string): string {
  let sum = 0
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1)
  return String((10 - (sum % 10)) % 10)
}

function companies(): Company[] {
  return Array.from({ length: COMPANY_COUNT }, (_, c) => {
    const prefix = `893${String(1000 + c * 37).padStart(4, '0')}` // 7 digits
    return {
      prefix,
      items: Array.from({ length: PRODUCTS_PER_COMPANY }, (_, p) => `${p % 3}${String(10000 + p * 11).slice(-5)}`),
      sites: Array.from({ length: SITES_PER_COMPANY }, (_, s) => `urn:epc:id:sgln:${prefix}.${String(s + 1).padStart(5, '0')}.0`),
      party: `urn:epc:id:pgln:${prefix}.00000`,
    }
  })
}

const STEPS_AFTER_COMMISSIONING = [
  ['shipping', 'in_transit'],
  ['receiving', 'in_progress'],
  ['storing', 'sellable_not_accessible'],
  ['inspecting', 'in_progress'],
  ['retail_selling', 'retail_sold'],
] as const

function vietnamTime(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().replace('Z', '+07:00')
}

export interface QuerySamples {
  epcs: string[]
  locations: string[]
  loggers: string[]
  /** [firstEventTime, lastEventTime] in ms. */
  span: [number, number]
}

export class SupplyChainStream {
  private readonly random: Random
  private readonly companies = companies()
  /** Recently commissioned serials per (company, item): later events pick their EPCs here. */
  private readonly pools = new Map<string, string[]>()
  private count = 0
  private serial = 0
  private sscc = 0
  readonly samples: QuerySamples = { epcs: [], locations: [], loggers: [], span: [START_MS, START_MS + YEAR_MS] }

  constructor(
    seed: number,
    private readonly total: number,
  ) {
    this.random = new Random(seed)
    for (const company of this.companies) this.samples.locations.push(...company.sites.filter((_, i) => i % 15 === 0))
    this.samples.loggers = Array.from({ length: LOGGERS }, (_, i) => this.logger(i))
  }

  private logger(i: number): string {
    return `urn:epc:id:giai:8930001.LOGGER${String(i).padStart(4, '0')}`
  }

  private newSerials(company: Company, item: string, count: number): string[] {
    const key = `${company.prefix}.${item}`
    const pool = this.pools.get(key) ?? []
    const made = Array.from({ length: count }, () => `urn:epc:id:sgtin:${key}.${(this.serial++).toString(36).toUpperCase()}`)
    pool.push(...made)
    if (pool.length > 400) pool.splice(0, pool.length - 400)
    this.pools.set(key, pool)
    if (this.serial % 500 < count) this.samples.epcs.push(made[0]!)
    return made
  }

  private existingSerials(company: Company, item: string, count: number): string[] {
    const pool = this.pools.get(`${company.prefix}.${item}`)
    if (!pool || pool.length === 0) return this.newSerials(company, item, count)
    return Array.from({ length: count }, () => this.random.pick(pool))
      .filter((epc, i, all) => all.indexOf(epc) === i)
  }

  private lot(company: Company, item: string, month: number): string {
    return `urn:epc:class:lgtin:${company.prefix}.${item}.L${String(month).padStart(2, '0')}${this.random.int(1, 4)}`
  }

  private newSscc(company: Company): string {
    const serial = String(this.sscc++).padStart(9, '0')
    return `urn:epc:id:sscc:${company.prefix}.${String(this.random.int(0, 9))}${serial}`
  }

  private extensions(event: Json): void {
    if (!this.random.chance(0.3)) return
    event[`${EXTENSION_PREFIX}:coldChain`] = {
      [`${EXTENSION_PREFIX}:maxTemperature`]: Math.round((2 + this.random.next() * 6) * 10) / 10,
      [`${EXTENSION_PREFIX}:loggerId`]: `LG-${String(this.random.int(1, 300)).padStart(4, '0')}`,
    }
    event[`${EXTENSION_PREFIX}:grade`] = this.random.pick(['A', 'B', 'C', 'VietGAP', 'GlobalGAP'])
  }

  private sensors(event: Json, ms: number): void {
    if (!this.random.chance(0.1)) return
    const excursion = this.random.chance(0.02)
    event.sensorElementList = [
      {
        sensorMetadata: { time: vietnamTime(ms), deviceID: this.random.pick(this.samples.loggers) },
        sensorReport: [
          { type: 'Temperature', value: excursion ? 8.5 + this.random.int(0, 40) / 10 : 2 + this.random.int(0, 55) / 10, uom: 'CEL' },
          { type: 'RelativeHumidity', value: this.random.int(60, 95), uom: 'P1' },
        ],
      },
    ]
  }

  next(): Json {
    const index = this.count++
    const random = this.random
    const ms = START_MS + Math.floor((index / this.total) * YEAR_MS) + random.int(0, 600_000)
    const month = new Date(ms).getUTCMonth() + 1
    const company = random.pick(this.companies)
    const item = random.pick(company.items)
    const site = random.pick(company.sites)
    const base: Json = { eventTime: vietnamTime(ms), eventTimeZoneOffset: '+07:00' }
    const where = { readPoint: { id: site }, bizLocation: { id: site } }
    const roll = random.next()
    let event: Json
    if (roll < 0.35) {
      event = {
        type: 'ObjectEvent',
        ...base,
        epcList: this.newSerials(company, item, random.int(1, 8)),
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        ...where,
        ilmd: { 'cbvmda:lotNumber': `L${month}-${random.int(1, 4)}`, 'cbvmda:countryOfOrigin': 'VN' },
      }
    } else if (roll < 0.6) {
      const [bizStep, disposition] = random.pick(STEPS_AFTER_COMMISSIONING)
      const buyer = random.pick(this.companies)
      event = {
        type: 'ObjectEvent',
        ...base,
        epcList: this.existingSerials(company, item, random.int(1, 8)),
        ...(random.chance(0.3) ? { quantityList: [{ epcClass: this.lot(company, item, month), quantity: random.int(5, 500), uom: 'KGM' }] } : {}),
        action: 'OBSERVE',
        bizStep,
        disposition,
        ...where,
        bizTransactionList: [{ type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${company.prefix}00000${checkDigit(`${company.prefix}00000`)}:PO-${random.int(1, 99999)}` }],
        sourceList: [{ type: 'owning_party', source: company.party }],
        destinationList: [{ type: 'owning_party', destination: buyer.party }, { type: 'location', destination: random.pick(buyer.sites) }],
      }
      this.sensors(event, ms)
    } else if (roll < 0.75) {
      event = {
        type: 'AggregationEvent',
        ...base,
        parentID: this.newSscc(company),
        childEPCs: this.existingSerials(company, item, random.int(2, 12)),
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        ...where,
      }
    } else if (roll < 0.85) {
      event = {
        type: 'TransactionEvent',
        ...base,
        parentID: this.newSscc(company),
        epcList: this.existingSerials(company, item, random.int(1, 6)),
        action: 'ADD',
        bizStep: 'shipping',
        disposition: 'in_transit',
        ...where,
        bizTransactionList: [{ type: 'inv', bizTransaction: `urn:epcglobal:cbv:bt:${company.prefix}00000${checkDigit(`${company.prefix}00000`)}:INV-${random.int(1, 99999)}` }],
      }
      this.sensors(event, ms)
    } else if (roll < 0.93) {
      const output = random.pick(company.items)
      event = {
        type: 'TransformationEvent',
        ...base,
        inputQuantityList: [{ epcClass: this.lot(company, item, month), quantity: random.int(100, 2000), uom: 'KGM' }],
        outputEPCList: this.newSerials(company, output, random.int(1, 6)),
        outputQuantityList: [{ epcClass: this.lot(company, output, month), quantity: random.int(50, 1500), uom: 'KGM' }],
        bizStep: 'commissioning',
        disposition: 'active',
        ...where,
      }
    } else {
      event = {
        type: 'AssociationEvent',
        ...base,
        parentID: `urn:epc:id:grai:${company.prefix}.00001.${random.int(1, 5000)}`,
        childEPCs: [random.pick(this.samples.loggers)],
        action: 'ADD',
        bizStep: 'assembling',
        ...where,
      }
    }
    this.extensions(event)
    return event
  }
}

export const PREFIXES = { companies }
