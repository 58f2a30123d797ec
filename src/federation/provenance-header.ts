/**
 * The provenance a document carries from repository to repository, in JSON-LD: `@context` holds
 * `{"nguon": "https://ns.nguon.vn/epcis/"}` and the header member `nguon:provenance` lists, for the events of the
 * document, `{eventID, originOrganisation, originRepository, originRecordTime}`. An EPCISDocument carries it in
 * `epcisHeader`; an EPCISQueryDocument, which has no header, as a member of the document itself.
 */
import { isObject, type EpcisDocument } from '../epcis/document.js'
import { parseInstant } from '../epcis/date-time.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { canonicalOrganisationName } from './organisation-names.js'

export const PROVENANCE_PREFIX = 'nguon'
export const PROVENANCE_NAMESPACE = 'https://ns.nguon.vn/epcis/'
export const PROVENANCE_MEMBER = `${PROVENANCE_PREFIX}:provenance`
const PROVENANCE_IRI = `${PROVENANCE_NAMESPACE}provenance`

/** One entry of the header member, as written. */
export interface ProvenanceEntry {
  eventID: string
  /** The organisation that first captured the event (src/federation/organisation-names.ts); null when unknown. */
  originOrganisation: string | null
  /** The EPCIS root of the repository where it was first captured. */
  originRepository: string
  /** Its recordTime there. */
  originRecordTime: string
}

/** What a document asserts about one event, checked and in stored form. */
export interface AssertedProvenance {
  originOrganisation: string | null
  originRepository: string
  originRecordTime: string
}

const MAX_TEXT = 2000

/** Where a document keeps the member, whatever prefix its @context gives the namespace; undefined when it has none. */
function memberOf(document: Record<string, unknown>): { value: unknown; pointer: string } | undefined {
  const holder = document.type === 'EPCISQueryDocument' ? document : document.epcisHeader
  if (!isObject(holder)) return undefined
  const base = document.type === 'EPCISQueryDocument' ? '' : '/epcisHeader'
  const prefixes = Object.entries(Object.assign({}, ...contextObjects(document['@context'])) as Record<string, unknown>)
    .filter(([, iri]) => iri === PROVENANCE_NAMESPACE)
    .map(([prefix]) => `${prefix}:provenance`)
  for (const key of [PROVENANCE_IRI, ...prefixes]) {
    if (Object.hasOwn(holder, key)) return { value: holder[key], pointer: `${base}/${key}` }
  }
  return undefined
}

function contextObjects(context: unknown): Record<string, unknown>[] {
  return (Array.isArray(context) ? context : [context]).filter(isObject)
}

function uriText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT && /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value)
}

function organisationText(value: unknown): value is string {
  return typeof value === 'string' && (uriText(value) || /^[0-9]{13}$/.test(value))
}

/**
 * The provenance a document asserts, by eventID (empty when it asserts none). A member that is not as the
 * contract says is the document's fault: a ValidationException naming each bad entry.
 */
export function readProvenance(document: unknown): Map<string, AssertedProvenance> {
  const found = new Map<string, AssertedProvenance>()
  if (!isObject(document)) return found
  const member = memberOf(document)
  if (!member) return found
  if (!Array.isArray(member.value)) {
    throw ERRORS.validation(`${PROVENANCE_MEMBER} must be a list`, [{ pointer: member.pointer, message: 'must be an array' }])
  }
  const errors: ProblemItem[] = []
  // A forwarded document names the same few organisations, repositories and times for thousands of events.
  const names = memoised(canonicalOrganisationName)
  const times = memoised((text: string) => (/(Z|z|[+-]\d{2}:\d{2})$/.test(text) ? parseInstant(text)?.toISOString() : undefined))
  member.value.forEach((entry: unknown, i) => {
    const pointer = `${member.pointer}/${i}`
    const bad = (message: string) => void errors.push({ pointer, message })
    if (!isObject(entry)) return bad('must be an object')
    const { eventID, originOrganisation, originRepository, originRecordTime } = entry
    if (typeof eventID !== 'string' || eventID.length === 0 || eventID.length > MAX_TEXT) return bad('eventID must be a string')
    if (originOrganisation !== undefined && originOrganisation !== null && !organisationText(originOrganisation)) {
      return bad('originOrganisation must be a GLN or PGLN (13 digits, a GS1 Digital Link or an EPC URN), another URI, or null')
    }
    if (!uriText(originRepository)) return bad('originRepository must be the absolute URI of an EPCIS repository')
    const time = typeof originRecordTime === 'string' ? times(originRecordTime) : undefined
    if (!time) return bad('originRecordTime must be a date-time with a time zone')
    const claim = {
      originOrganisation: typeof originOrganisation === 'string' ? names(originOrganisation) : null,
      originRepository: repositoryName(originRepository),
      originRecordTime: time,
    }
    // An event and its error declarations share their eventID: listed again, it must say the same.
    const before = found.get(eventID)
    if (before && JSON.stringify(before) !== JSON.stringify(claim)) return bad(`eventID ${eventID} is listed twice, differently`)
    found.set(eventID, claim)
  })
  if (errors.length > 0) throw ERRORS.validation(`The document's ${PROVENANCE_MEMBER} is not valid`, errors)
  return found
}

function memoised<T>(compute: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>()
  return (text) => {
    if (!known.has(text)) known.set(text, compute(text))
    return known.get(text)!
  }
}

/** A repository's EPCIS root as stored and compared: without a trailing slash. */
export function repositoryName(uri: string): string {
  return uri.replace(/\/+$/, '')
}

/**
 * The document with its events' provenance: the `nguon` prefix added to its @context and the member to its
 * header (an EPCISQueryDocument: to the document). The document given is left as it is.
 */
export function withProvenance<T extends EpcisDocument>(document: T, entries: ProvenanceEntry[]): T {
  const context = Array.isArray(document['@context']) ? document['@context'] : document['@context'] === undefined ? [] : [document['@context']]
  const withPrefix = [...context, { [PROVENANCE_PREFIX]: PROVENANCE_NAMESPACE }]
  if (document.type === 'EPCISQueryDocument') return { ...document, '@context': withPrefix, [PROVENANCE_MEMBER]: entries }
  const header = isObject(document.epcisHeader) ? document.epcisHeader : {}
  return { ...document, '@context': withPrefix, epcisHeader: { ...header, [PROVENANCE_MEMBER]: entries } }
}
