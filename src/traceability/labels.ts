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
import { findElementAttributes } from './repository.js'

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

const PRODUCT_NAMES = ['regulatedProductName', 'productName', 'tradeItemDescription', 'descriptionShort', 'name', 'description']
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

/**
 * Labels for identifiers: kind, canonical Digital Link, EPC URN (when the Company Prefix length is known)
 * and names from master data, looked up under every form master data may use (Digital Link or EPC URN of
 * the identifier, of its lot, of its product class). `lots` gives the lot of serials where known.
 */
export async function labelIdentifiers(db: Db, ids: Iterable<string>, lots: ReadonlyMap<string, string>): Promise<Map<string, IdentifierLabel>> {
  const all = [...new Set(ids)]
  const gs1 = all.filter((id) => id.startsWith(`${CANONICAL_DL_ORIGIN}/`))
  const prefixLength = await prefixLengths(db, gs1)
  const urnMemo = new Map<string, string | undefined>()
  const urnOf = (id: string) => {
    if (!urnMemo.has(id)) urnMemo.set(id, safely(() => toEpcUrn(id, prefixLength)))
    return urnMemo.get(id)
  }
  const forms = (id: string | undefined) => (id === undefined ? [] : [id, urnOf(id)].filter((x): x is string => !!x))

  const labels = new Map<string, IdentifierLabel>()
  const lookups = new Map<string, string[]>()
  for (const id of all) {
    const kind = identifierKind(id)
    const label: IdentifierLabel = { id, kind }
    if (id.startsWith(`${CANONICAL_DL_ORIGIN}/`)) label.digitalLink = id
    const urn = urnOf(id)
    if (urn) label.epcUrn = urn
    labels.set(id, label)
    const productClass = kind === 'instance' ? safely(() => lotOfSerial(id)) : LOT_OF_CLASS.exec(id)?.[1]
    lookups.set(id, [...forms(id), ...forms(lots.get(id)), ...forms(productClass)])
  }
  const attributes = await findElementAttributes(db, [...new Set([...lookups.values()].flat())])
  for (const [id, candidates] of lookups) {
    const label = labels.get(id)!
    const place = label.kind === 'location' || label.kind === 'party'
    for (const candidate of candidates) {
      const name = nameIn(attributes.get(candidate), place ? PLACE_NAMES : PRODUCT_NAMES)
      if (name === undefined) continue
      if (place) label.name = name
      else label.productName = name
      break
    }
  }
  return labels
}
