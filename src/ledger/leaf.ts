import { hash } from 'node:crypto'
import { canonicalJson } from './canonical-json.js'
import { leafHash } from './merkle.js'

/** What one leaf of the ledger commits to: the stored event's identity, CBV 2.0 hash and exact body. */
export interface LeafFields {
  eventId: string
  /** The CBV 2.0 event hash ID, `ni:///sha-256;<hex>?ver=CBV2.0`. */
  eventHash: string
  /** SHA-256 (hex) of the canonical JSON of the event body as stored. */
  bodyDigest: string
}

/**
 * The CBV hash leaves out eventID, recordTime, errorDeclaration and some fields, so the leaf also
 * commits to the eventID and to a digest of the whole stored body: a change to any of them shows.
 */
export function bodyDigest(body: unknown): string {
  return hash('sha256', canonicalJson(body), 'hex')
}

/**
 * Leaf data: UTF-8 of `eventID LF eventHash LF bodyDigest`. Neither of the last two can hold a line
 * feed, so the string reads back one way only, whatever the eventID holds.
 */
export function leafData(fields: LeafFields): Buffer {
  return Buffer.from(`${fields.eventId}\n${fields.eventHash}\n${fields.bodyDigest}`, 'utf8')
}

export function ledgerLeafHash(fields: LeafFields): Buffer {
  return leafHash(leafData(fields))
}
