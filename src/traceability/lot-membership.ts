import { IdentifierRole } from '../db/tables/event-identifier.js'
import type { IndexedEvent } from '../epcis/event-index.js'
import { canonicalIdentifier, identifierKind, lotOfSerial, parseDigitalLink } from '../identifiers/index.js'
import { encodeDigitalLinkValue } from '../identifiers/percent-encoding.js'

/** A serialised instance and the lot (canonical LGTIN-style key) an event says it belongs to. */
export interface LotMembership {
  instance: string
  lot: string
}

/** ILMD property names that carry a lot number (CBV master data attribute, GS1 Web Vocabulary). */
const LOT_NUMBER_KEYS = new Set([
  'urn:epcglobal:cbv:mda:lotNumber',
  'urn:epcglobal:cbv:mda#lotNumber',
  'https://ref.gs1.org/voc/hasBatchLotNumber',
  'https://gs1.org/voc/hasBatchLotNumber',
])

const EPC_FIELDS = ['parentID', 'epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const

/** The lot number an expanded ILMD states, if any (XML-born values may be wrapped as {'#text': ...}). */
function ilmdLotNumber(extensions: Record<string, unknown> | null): string | undefined {
  const ilmd = extensions?.ilmd
  if (typeof ilmd !== 'object' || ilmd === null) return undefined
  for (const [key, value] of Object.entries(ilmd)) {
    if (!LOT_NUMBER_KEYS.has(key)) continue
    if (typeof value === 'string' && value !== '') return value
    if (typeof value === 'object' && value !== null) {
      const text = (value as Record<string, unknown>)['#text'] ?? (value as Record<string, unknown>)['@value']
      if (typeof text === 'string' && text !== '') return text
    }
  }
  return undefined
}

/** The canonical key of the lot `lotNumber` of the instance's product class; undefined when that is no valid key. */
export function lotKeyOf(instance: string, lotNumber: string): string | undefined {
  try {
    const productClass = lotOfSerial(instance)
    if (!productClass) return undefined
    const lot = canonicalIdentifier(`${productClass}/10/${encodeDigitalLinkValue(lotNumber)}`)
    return identifierKind(lot) === 'class' ? lot : undefined
  } catch {
    return undefined
  }
}

/** For a Digital Link naming a serial with a lot qualifier (…/10/<lot>/21/<serial>): the instance and its lot. */
function digitalLinkLot(value: string): LotMembership | undefined {
  if (value.startsWith('urn:') || !value.includes('/')) return undefined
  try {
    const link = parseDigitalLink(value)
    const lotNumber = link?.qualifiers.find((q) => q.ai === '10')?.value
    if (!link || lotNumber === undefined) return undefined
    const instance = canonicalIdentifier(value)
    if (identifierKind(instance) !== 'instance') return undefined
    const lot = lotKeyOf(instance, lotNumber)
    return lot ? { instance, lot } : undefined
  } catch {
    return undefined
  }
}

/**
 * The lot memberships one stored event states: the ILMD lotNumber applies to the instances the event
 * commissions (epcList of an ObjectEvent) or produces (outputEPCList of a TransformationEvent); a Digital
 * Link with a lot qualifier states the lot of the serial it names, wherever it appears.
 */
export function lotMembershipsOf(body: Record<string, unknown>, indexed: IndexedEvent): LotMembership[] {
  const found = new Map<string, LotMembership>()
  const add = (m: LotMembership | undefined) => {
    if (m) found.set(`${m.instance} ${m.lot}`, m)
  }
  const lotNumber = ilmdLotNumber(indexed.extensions)
  if (lotNumber !== undefined) {
    for (const { role, identifier } of indexed.identifiers) {
      if (role !== IdentifierRole.epc && role !== IdentifierRole.output) continue
      if (identifierKind(identifier) !== 'instance') continue
      const lot = lotKeyOf(identifier, lotNumber)
      if (lot) add({ instance: identifier, lot })
    }
  }
  for (const field of EPC_FIELDS) {
    const value = body[field]
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) {
      if (typeof v === 'string' && (v.includes('/10/') || v.includes('/lot/'))) add(digitalLinkLot(v))
    }
  }
  return [...found.values()]
}
