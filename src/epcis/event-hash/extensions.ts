import { canonicalCbvUrn } from '../cbv.js'
import { isExactNumber, type ExactNumber } from '../exact-number.js'
import { canonicalUri, digitalLinkOrSame, extensionName, type Namespaces } from './names.js'
import { canonicalDecimal, canonicalNumber, canonicalTimestamp, isTimestamp, sortedJoin } from './values.js'

/**
 * The value of a user extension or ILMD element. Untyped in XML, so the rules apply by lexical form:
 * timestamps to UTC milliseconds, numbers without trailing zeros, CBV URNs to Web URIs, EPC URNs and
 * Digital Links to the canonical Digital Link. Strings are literals in JSON-LD, so no CURIE expansion.
 */
export function extensionValue(value: string | number | boolean | ExactNumber): string {
  if (typeof value === 'number' || typeof value === 'object') return canonicalNumber(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = value.trim()
  if (text === '') return text
  const first = text.charCodeAt(0)
  if ((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46) {
    if (isTimestamp(text)) return canonicalTimestamp(text)
    return canonicalDecimal(text) ?? text
  }
  if (text.startsWith('urn:epcglobal:cbv:')) return canonicalCbvUrn(text)
  if (text.startsWith('urn:epc:') || text.startsWith('http')) return digitalLinkOrSame(text)
  return text
}

/**
 * rdfs:comment is JSON-LD's stand-in for an XML comment, which is no element and so never in the
 * pre-hash string: leaving it out keeps the JSON-LD and XML forms of an event equal.
 */
const RDFS_COMMENT = '{http://www.w3.org/2000/01/rdf-schema#}comment'

const NO_KEYS: ReadonlySet<string> = new Set()

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isExactNumber(value)
}

function isKeywordObject(value: Record<string, unknown>): boolean {
  let keyword = false
  for (const key in value) {
    if (key.charCodeAt(0) !== 64 /* '@' */) return false
    keyword = true
  }
  return keyword
}

/**
 * Appends the pre-hash substrings of one extension element: `{ns}name=value` for a value,
 * `{ns}name` followed by its sorted children for a structure, one substring per array item (as
 * repeated XML elements).
 */
function appendExtension(key: string, value: unknown, namespaces: Namespaces, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) appendExtension(key, item, namespaces, out)
    return
  }
  const name = extensionName(key, namespaces)
  if (name === RDFS_COMMENT) return
  if (isObject(value)) {
    if (isKeywordObject(value)) {
      // JSON-LD keyword objects: a list or set counts as its items, a value object as its value,
      // a node reference as its IRI.
      const items = value['@list'] ?? value['@set']
      if (Array.isArray(items)) return appendExtension(key, items, namespaces, out)
      const iri = value['@id']
      if (typeof iri === 'string' && value['@value'] === undefined) out.push(`${name}=${canonicalUri(iri, namespaces)}`)
      else appendExtension(key, value['@value'] ?? null, namespaces, out)
      return
    }
    out.push(name + extensionMembers(value, NO_KEYS, namespaces))
    return
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || isExactNumber(value)) {
    const text = extensionValue(value)
    out.push(text === '' ? name : `${name}=${text}`)
    return
  }
  if (value === null) out.push(name)
}

/**
 * The sorted, concatenated substrings of the members of an object that are extensions: all but the
 * `standard` keys and JSON-LD keywords.
 */
export function extensionMembers(
  object: Readonly<Record<string, unknown>>,
  standard: ReadonlySet<string>,
  namespaces: Namespaces,
): string {
  const parts: string[] = []
  for (const key in object) {
    if (standard.has(key) || key.charCodeAt(0) === 64 /* '@' */) continue
    appendExtension(key, object[key], namespaces, parts)
  }
  return sortedJoin(parts)
}
