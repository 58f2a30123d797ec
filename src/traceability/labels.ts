import { findKnownPrefixes } from '../company-prefix/repository.js'
import type { Db } from '../db/database.js'
import type { VocabularyAttribute } from '../db/tables/vocabulary-element.js'
import {
  CANONICAL_DL_ORIGIN,
  companyPrefixCandidates,
  identifierKind,
  lotOfSerial,
  toEpcUrn,
  type CompanyPrefixLength,
  type IdentifierKind,
} from '../identifiers/index.js'
import { FIELD_VOCABULARY_TYPE, PRODUCT_TYPES, SOURCE_DEST_TYPES } from '../epcis/vocabulary-types.js'
import { elementKey, findElementAttributes } from './repository.js'

/** How an identifier is written and called: its forms and its name in the captured master data. */
export interface IdentifierLabel {
  id: string
  kind: IdentifierKind
  digitalLink?: string
  epcUrn?: string
  /** instances and classes: the product name of the instance, its lot or its product class */
  productName?: string
  /** locations and parties: their own name */
  name?: string
}

const PRODUCT_NAMES = [
  'regulatedProductName',
  'productName',
  'tradeItemDescription',
  'descriptionShort',
  'name',
  'description',
]
const PLACE_NAMES = ['name', 'organizationName', 'partyName', 'locationName', 'descriptionShort', 'description']
const LOT_OF_CLASS = /^(https:\/\/id\.gs1\.org\/(?:01|8006)\/[^/]+)\/10\/[^/]+$/

function safely<T>(compute: () => T): T | undefined {
  try {
    return compute()
  } catch {
    return undefined
  }
}

/** The local name of an attribute id: urn:epcglobal:cbv:mda#name, cbvmda:name, https://…/name all give "name". */
function localName(attributeId: string): string {
  const cut = Math.max(attributeId.lastIndexOf('#'), attributeId.lastIndexOf(':'), attributeId.lastIndexOf('/'))
  return attributeId.slice(cut + 1)
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = textOf(item)
      if (text) return text
    }
    return undefined
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    return textOf(record['@value'] ?? record['#text'])
  }
  return undefined
}

function nameIn(attributes: VocabularyAttribute[] | undefined, preferred: string[]): string | undefined {
  if (!attributes) return undefined
  for (const wanted of preferred) {
    for (const attribute of attributes) {
      if (localName(attribute.id) === wanted) {
        const text = textOf(attribute.attribute)
        if (text) return text
      }
    }
  }
  return undefined
}

/** Company Prefix lengths known for the given Digital Links, from one query. */
async function prefixLengths(db: Db, ids: string[]): Promise<CompanyPrefixLength> {
  const candidates = new Set<string>()
  const seenStarts = new Set<string>()
  for (const id of ids) {
    // Serials of one product share their candidates: look each key start up once.
    const start = id.slice(0, 40)
    if (seenStarts.has(start)) continue
    seenStarts.add(start)
    for (const c of companyPrefixCandidates(id) ?? []) candidates.add(c)
  }
  const known = await findKnownPrefixes(db, [...candidates])
  return (keyDigits) => {
    for (let length = Math.min(12, keyDigits.length); length >= 4; length--) {
      if (known.has(keyDigits.slice(0, length))) return length
    }
    return undefined
  }
}

/** Canonical keys of the commonest kinds, told apart without parsing (thousands of serials in one recall). */
const SERIAL_WITH_PLAIN_SERIAL = /^(https:\/\/id\.gs1\.org\/01\/\d{14})\/21\/([A-Za-z0-9]+)$/
const GTIN_CLASS = /^https:\/\/id\.gs1\.org\/01\/\d{14}(?:\/10\/[^/]+)?$/

function kindOf(id: string): IdentifierKind {
  if (SERIAL_WITH_PLAIN_SERIAL.test(id)) return 'instance'
  if (GTIN_CLASS.test(id)) return 'class'
  return identifierKind(id)
}

/** How a place is named by the events: as a business location, or as a source or destination party. */
export type PlaceRole = 'bizLocation' | 'party'

/** The vocabulary types whose master data names an identifier in its role (a field's master data is an element of its type). */
function vocabularyTypesOf(role: PlaceRole | undefined, kind: IdentifierKind): readonly string[] {
  if (role === 'bizLocation' || (role === undefined && kind === 'location')) return [FIELD_VOCABULARY_TYPE.bizLocation]
  if (role === 'party' || (role === undefined && kind === 'party')) return SOURCE_DEST_TYPES
  return PRODUCT_TYPES
}

/**
 * Labels for identifiers: kind, canonical Digital Link, EPC URN (when the Company Prefix length is known)
 * and names from master data, looked up under every form master data may use (Digital Link or EPC URN of
 * the identifier; for a serial, of its lot and of its product class), among the elements of the vocabulary
 * type of its role: BusinessLocation for a business location, SourceDest or Party for a source or
 * destination, EPCClass for products. `lots` gives the lot of serials where known; `roles` the role of
 * places (others are objects of the events).
 */
export async function labelIdentifiers(
  db: Db,
  ids: Iterable<string>,
  lots: ReadonlyMap<string, string>,
  roles: ReadonlyMap<string, PlaceRole> = new Map(),
): Promise<Map<string, IdentifierLabel>> {
  const all = [...new Set(ids)]
  const gs1 = all.filter((id) => id.startsWith(`${CANONICAL_DL_ORIGIN}/`))
  const prefixLength = await prefixLengths(db, gs1)
  const urnMemo = new Map<string, string | undefined>()
  const urnOf = (id: string): string | undefined => {
    if (urnMemo.has(id)) return urnMemo.get(id)
    // Serials of one GTIN share their URN up to the serial; a serial of letters and digits needs no escaping.
    const serial = SERIAL_WITH_PLAIN_SERIAL.exec(id)
    let urn: string | undefined
    if (serial) {
      const classKey = `${serial[1]}/21/`
      if (!urnMemo.has(classKey)) {
        const first = safely(() => toEpcUrn(id, prefixLength))
        urnMemo.set(classKey, first?.slice(0, first.lastIndexOf('.') + 1))
      }
      const prefix = urnMemo.get(classKey)
      urn = prefix === undefined ? undefined : `${prefix}${serial[2]}`
    } else {
      urn = safely(() => toEpcUrn(id, prefixLength))
    }
    urnMemo.set(id, urn)
    return urn
  }
  const forms = (id: string | undefined) => (id === undefined ? [] : [id, urnOf(id)].filter((x): x is string => !!x))

  // Master data describes classes and places (EPCClass, BusinessLocation, ...), not single serials: a serial's
  // product name is its lot's or its product class's, looked up once for all serials of that lot and class.
  const labels = new Map<string, IdentifierLabel>()
  const groups = new Map<string, { candidates: string[]; place: boolean; types: readonly string[]; labels: IdentifierLabel[] }>()
  for (const id of all) {
    const kind = kindOf(id)
    const label: IdentifierLabel = { id, kind }
    if (id.startsWith(`${CANONICAL_DL_ORIGIN}/`)) label.digitalLink = id
    const urn = urnOf(id)
    if (urn) label.epcUrn = urn
    labels.set(id, label)
    const productClass =
      kind === 'instance'
        ? (SERIAL_WITH_PLAIN_SERIAL.exec(id)?.[1] ?? safely(() => lotOfSerial(id)))
        : LOT_OF_CLASS.exec(id)?.[1]
    const lot = lots.get(id)
    const bySerial = kind === 'instance' && productClass !== undefined
    const role = roles.get(id)
    const key = bySerial ? `${lot ?? ''} ${productClass}` : `${role ?? ''} ${id}`
    let group = groups.get(key)
    if (!group) {
      const candidates = [...(bySerial ? [] : forms(id)), ...forms(lot), ...forms(productClass)]
      const place = role !== undefined || kind === 'location' || kind === 'party'
      groups.set(key, (group = { candidates, place, types: vocabularyTypesOf(role, kind), labels: [] }))
    }
    group.labels.push(label)
  }
  const allGroups = [...groups.values()]
  const attributes = await findElementAttributes(
    db,
    [...new Set(allGroups.flatMap((g) => g.candidates))],
    [...new Set(allGroups.flatMap((g) => g.types))],
  )
  for (const group of allGroups) {
    let name: string | undefined
    for (const candidate of group.candidates) {
      for (const type of group.types) {
        name = nameIn(attributes.get(elementKey(type, candidate)), group.place ? PLACE_NAMES : PRODUCT_NAMES)
        if (name !== undefined) break
      }
      if (name !== undefined) break
    }
    if (name === undefined) continue
    for (const label of group.labels) {
      if (group.place) label.name = name
      else label.productName = name
    }
  }
  return labels
}
