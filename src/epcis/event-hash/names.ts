import { eventHashIdentifier } from '../../identifiers/index.js'
import { CONTEXT_PREFIXES } from '../cbv/terms.js'

/** Namespace prefixes of the event's document: prefix -> namespace IRI. */
export type Namespaces = Readonly<Record<string, string>>

function namespaceOf(prefix: string, namespaces: Namespaces): string | undefined {
  if (Object.hasOwn(namespaces, prefix)) return namespaces[prefix]
  return Object.hasOwn(CONTEXT_PREFIXES, prefix) ? CONTEXT_PREFIXES[prefix] : undefined
}

/**
 * Expands a compact IRI ("example:abc") whose prefix the document declares, or that the EPCIS 2.0
 * context declares (gs1, cbv, cbvmda, ...), as JSON-LD does for @id and @vocab values (rule 15).
 * Absolute IRIs ("urn:...", "https://...") and undeclared prefixes come back unchanged.
 */
export function expandCurie(value: string, namespaces: Namespaces): string {
  const colon = value.indexOf(':')
  if (colon <= 0 || value.startsWith('//', colon + 1)) return value
  // Schemes, not prefixes (checked before taking the prefix out: most values are URNs or URLs).
  if ((colon === 3 && value.startsWith('urn')) || (colon === 5 && value.startsWith('https')) || (colon === 4 && value.startsWith('http'))) {
    return value
  }
  const prefix = value.slice(0, colon)
  const namespace = namespaceOf(prefix, namespaces)
  return namespace === undefined ? value : namespace + value.slice(colon + 1)
}

/**
 * The canonical form of an identifier or other URI value (rules 15, 17, 18): a GS1 key as the
 * constrained canonical Digital Link on id.gs1.org (from an EPC URN or any Digital Link), a CURIE
 * expanded, anything else trimmed and as given.
 */
export function canonicalUri(raw: string, namespaces: Namespaces): string {
  return digitalLinkOrSame(expandCurie(raw.trim(), namespaces))
}

/**
 * The canonical id.gs1.org Digital Link of a GS1 identifier (EPC URN, or Digital Link on any host,
 * reduced to its most fine-grained key); any other value unchanged. A value that claims a GS1 scheme
 * but is invalid (wrong check digit, say) is hashed as written: the hash must not fail where schema
 * validation let an event through.
 */
export function digitalLinkOrSame(value: string): string {
  if (value === '') return value
  try {
    return eventHashIdentifier(value)
  } catch {
    return value
  }
}

/**
 * A user extension's name as `{namespace}localName` (rules 19 to 21). A namespace IRI that ends in
 * ':' is written without it, so the JSON-LD prefix "urn:epcglobal:cbv:mda:" and the XML namespace
 * "urn:epcglobal:cbv:mda" give the same name. A key that is not a CURIE of a known prefix but an
 * absolute IRI is split after its last '/' or '#' (else its last ':'); a bare key stays bare.
 */
export function extensionName(key: string, namespaces: Namespaces): string {
  const colon = key.indexOf(':')
  if (colon <= 0) return key
  if (!key.startsWith('//', colon + 1)) {
    const namespace = namespaceOf(key.slice(0, colon), namespaces)
    if (namespace !== undefined) return `{${trimColon(namespace)}}${key.slice(colon + 1)}`
  }
  const split = Math.max(key.lastIndexOf('/'), key.lastIndexOf('#'))
  if (split > colon && split < key.length - 1) return `{${key.slice(0, split + 1)}}${key.slice(split + 1)}`
  const last = key.lastIndexOf(':')
  return last < key.length - 1 ? `{${key.slice(0, last)}}${key.slice(last + 1)}` : key
}

function trimColon(namespace: string): string {
  return namespace.endsWith(':') ? namespace.slice(0, -1) : namespace
}
