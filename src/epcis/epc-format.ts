import { toDigitalLink, toEpcUrn, type CompanyPrefixLength } from '../identifiers/index.js'
import { isObject, type EpcisEvent } from './document.js'

/** The GS1-EPC-Format header values (EPCIS 2.0 REST binding). */
export const EPC_FORMATS = ['Always_GS1_Digital_Link', 'Always_EPC_URN', 'Never_Translates', 'No_Preference'] as const
export type EpcFormat = (typeof EPC_FORMATS)[number]

export const DEFAULT_EPC_FORMAT: EpcFormat = 'Always_GS1_Digital_Link'

const EPC_LIST_FIELDS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const
const QUANTITY_LIST_FIELDS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'] as const
const PLACE_FIELDS = ['readPoint', 'bizLocation'] as const
const PARTY_LISTS = [
  ['sourceList', 'source'],
  ['destinationList', 'destination'],
] as const

type Translate = (uri: string) => string

function translatorFor(format: EpcFormat, prefixLength: CompanyPrefixLength | undefined): Translate | undefined {
  if (format === 'Always_GS1_Digital_Link') return (uri) => safely(() => toDigitalLink(uri)) ?? uri
  if (format === 'Always_EPC_URN') return (uri) => safely(() => toEpcUrn(uri, prefixLength)) ?? uri
  return undefined
}

/** Stored identifiers passed validation at capture; anything unexpected stays as it was captured. */
function safely(convert: () => string | undefined): string | undefined {
  try {
    return convert()
  } catch {
    return undefined
  }
}

/**
 * The event with its identifiers (EPC lists, parentID, quantity classes, readPoint, bizLocation,
 * source and destination) written in the requested form; Never_Translates and No_Preference give
 * the event as captured. A Digital Link stays one when no Company Prefix length is known for it.
 */
export function formatEventIdentifiers(
  event: EpcisEvent,
  format: EpcFormat,
  prefixLength?: CompanyPrefixLength,
): EpcisEvent {
  const translate = translatorFor(format, prefixLength)
  if (!translate) return event
  const out: EpcisEvent = { ...event }
  if (typeof out.parentID === 'string') out.parentID = translate(out.parentID)
  for (const field of EPC_LIST_FIELDS) {
    const list = out[field]
    if (Array.isArray(list)) out[field] = list.map((v) => (typeof v === 'string' ? translate(v) : v))
  }
  for (const field of QUANTITY_LIST_FIELDS) {
    const list = out[field]
    if (!Array.isArray(list)) continue
    out[field] = list.map((q) =>
      isObject(q) && typeof q.epcClass === 'string' ? { ...q, epcClass: translate(q.epcClass) } : q,
    )
  }
  for (const field of PLACE_FIELDS) {
    const place = out[field]
    if (isObject(place) && typeof place.id === 'string') out[field] = { ...place, id: translate(place.id) }
  }
  for (const [field, key] of PARTY_LISTS) {
    const list = out[field]
    if (!Array.isArray(list)) continue
    out[field] = list.map((p) => (isObject(p) && typeof p[key] === 'string' ? { ...p, [key]: translate(p[key]) } : p))
  }
  return out
}

/** Every Digital Link among an event's identifiers that Always_EPC_URN would need a prefix length for. */
export function digitalLinksOf(event: EpcisEvent): string[] {
  const found: string[] = []
  const visit = (uri: unknown) => {
    if (typeof uri === 'string' && uri.startsWith('http')) found.push(uri)
  }
  visit(event.parentID)
  for (const field of EPC_LIST_FIELDS) (Array.isArray(event[field]) ? (event[field] as unknown[]) : []).forEach(visit)
  for (const field of QUANTITY_LIST_FIELDS) {
    for (const q of Array.isArray(event[field]) ? (event[field] as unknown[]) : []) if (isObject(q)) visit(q.epcClass)
  }
  for (const field of PLACE_FIELDS) if (isObject(event[field])) visit((event[field] as Record<string, unknown>).id)
  for (const [field, key] of PARTY_LISTS) {
    for (const p of Array.isArray(event[field]) ? (event[field] as unknown[]) : []) if (isObject(p)) visit(p[key])
  }
  return found
}
