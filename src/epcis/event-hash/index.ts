import { hash } from 'node:crypto'
import type { Namespaces } from './names.js'
import { buildPreHash } from './pre-hash.js'

export type { Namespaces } from './names.js'

/** The algorithm version this module implements, as written after `?ver=`. */
export const EVENT_HASH_VERSION = 'CBV2.0'

/**
 * The canonical pre-hash string of an EPCIS 2.0 event (CBV 2.0 section 8.9), from the compact
 * JSON-LD event and the namespace prefixes of its document (prefix -> IRI; the prefixes of the
 * EPCIS 2.0 context itself need not be included).
 */
export function preHashString(event: Readonly<Record<string, unknown>>, namespaces: Namespaces = {}): string {
  return buildPreHash(event, namespaces)
}

/** The EPCIS Event Hash ID: `ni:///sha-256;<hex>?ver=CBV2.0` (RFC 6920 named information). */
export function eventHashId(event: Readonly<Record<string, unknown>>, namespaces: Namespaces = {}): string {
  const digest = hash('sha256', buildPreHash(event, namespaces), 'hex')
  return `ni:///sha-256;${digest}?ver=${EVENT_HASH_VERSION}`
}
