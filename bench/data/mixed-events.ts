import { Random } from './random.js'

/**
 * The other shapes a Vietnamese food chain captures besides plain ObjectEvents, for the capture bench's realistic
 * mix: pallets aggregated from 24 cases, lots transformed into products, shipments between parties, and cold-chain
 * sensor readings. GS1 Vietnam company prefixes (893), CBV 2.0 bare words.
 */

type Json = Record<string, unknown>

export type MixKind = 'aggregation' | 'transformation' | 'shipping' | 'sensor'
export const MIX_KINDS: MixKind[] = ['aggregation', 'transformation', 'shipping', 'sensor']

const SITES = ['urn:epc:id:sgln:8934567.00001.0', 'urn:epc:id:sgln:8934567.00002.0', 'urn:epc:id:sgln:89356789.0001.0', 'urn:epc:id:sgln:893123456.001.0']
const PARTIES = ['urn:epc:id:pgln:8934567.00000', 'urn:epc:id:pgln:89356789.0000', 'urn:epc:id:pgln:893123456.000']
const SERIAL = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'

export class MixedEvents {
  private readonly random: Random
  private count = 0
  constructor(seed: number, private readonly startMs = Date.parse('2024-04-01T00:00:00+07:00')) {
    this.random = new Random(seed)
  }

  next(kind: MixKind): Json {
    const index = this.count++
    const base: Json = {
      type: 'ObjectEvent',
      eventID: `urn:uuid:${this.random.uuid()}`,
      eventTime: new Date(this.startMs + index * 60_000 + 7 * 3_600_000).toISOString().replace('Z', '+07:00'),
      eventTimeZoneOffset: '+07:00',
    }
    const site = this.random.pick(SITES)
    if (kind === 'aggregation') {
      return {
        ...base,
        type: 'AggregationEvent',
        parentID: `urn:epc:id:sscc:8934567.${String(index % 1_000_000_000).padStart(10, '0')}`,
        childEPCs: Array.from({ length: 24 }, () => this.sgtin()),
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint: { id: site },
        bizLocation: { id: site },
      }
    }
    if (kind === 'transformation') {
      const lot = `L${String(index).padStart(6, '0')}`
      return {
        ...base,
        type: 'TransformationEvent',
        inputEPCList: Array.from({ length: 3 }, () => this.sgtin()),
        inputQuantityList: [{ epcClass: `urn:epc:class:lgtin:8934567.012345.${lot}`, quantity: this.random.int(100, 900), uom: 'KGM' }],
        outputEPCList: Array.from({ length: 4 }, () => this.sgtin('012346')),
        outputQuantityList: [{ epcClass: `urn:epc:class:lgtin:8934567.012346.${lot}`, quantity: this.random.int(50, 400), uom: 'KGM' }],
        transformationID: `urn:epc:id:gdti:8934567.00001.T${index}`,
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: site },
        bizLocation: { id: site },
        ilmd: { 'cbvmda:lotNumber': lot, 'cbvmda:itemExpirationDate': '2025-04-01' },
      }
    }
    if (kind === 'shipping') {
      const [from, to] = [this.random.pick(PARTIES), this.random.pick(PARTIES)]
      return {
        ...base,
        epcList: Array.from({ length: this.random.int(2, 8) }, () => this.sgtin()),
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: site },
        bizTransactionList: [
          { type: 'po', bizTransaction: `urn:epc:id:gdti:8934567.00001.PO${index}` },
          { type: 'desadv', bizTransaction: `urn:epc:id:gdti:8934567.00002.DA${index}` },
        ],
        sourceList: [{ type: 'owning_party', source: from }, { type: 'location', source: site }],
        destinationList: [{ type: 'owning_party', destination: to }, { type: 'location', destination: this.random.pick(SITES) }],
      }
    }
    return {
      ...base,
      epcList: [this.sgtin()],
      action: 'OBSERVE',
      bizStep: 'inspecting',
      disposition: 'in_progress',
      readPoint: { id: site },
      sensorElementList: [
        {
          sensorMetadata: { time: base.eventTime, deviceID: `urn:epc:id:giai:8934567.${this.random.int(1, 500)}` },
          sensorReport: [
            { type: 'Temperature', value: Math.round(this.random.next() * 80) / 10, uom: 'CEL' },
            { type: 'RelativeHumidity', value: this.random.int(40, 95), uom: 'A93' },
            { type: 'Temperature', minValue: 1.5, maxValue: 7.5, meanValue: 4.1, uom: 'CEL' },
          ],
        },
      ],
    }
  }

  private sgtin(item = '012345'): string {
    let serial = ''
    for (let i = 0; i < 10; i++) serial += SERIAL[this.random.int(0, SERIAL.length - 1)]
    return `urn:epc:id:sgtin:8934567.${item}.${serial}`
  }
}
