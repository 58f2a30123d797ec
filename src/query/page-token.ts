import { createHmac, timingSafeEqual } from 'node:crypto'
import { ERRORS } from '../errors.js'

/** How long a page token stays valid (sent to clients as GS1-Next-Page-Token-Expires). */
export const PAGE_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000

interface Payload {
  /** What the token pages through: a resource and a digest of the query it belongs to. */
  s: string
  /** The position after which the next page starts. */
  c: unknown
  /** Expiry, epoch milliseconds. */
  e: number
}

function mac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest()
}

/**
 * A stateless page token: the cursor and its scope, signed with the repository's shared key, so it
 * works on any instance and after a restart, and cannot be forged or moved to another query.
 */
export function signCursor(key: Buffer, scope: string, cursor: unknown, now = Date.now()): string {
  const payload: Payload = { s: scope, c: cursor, e: now + PAGE_TOKEN_LIFETIME_MS }
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${data}.${mac(key, data).toString('base64url')}`
}

export function tokenExpiry(token: string): Date | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Payload
    return new Date(payload.e)
  } catch {
    return undefined
  }
}

export function verifyCursor(key: Buffer, token: string, scope: string, now = Date.now()): unknown {
  const [data, signature, ...rest] = token.split('.')
  const invalid = () => ERRORS.queryParameter('nextPageToken is not a valid page token for this query')
  if (!data || !signature || rest.length > 0) throw invalid()
  const expected = mac(key, data)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid()
  let payload: Payload
  try {
    payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as Payload
  } catch {
    throw invalid()
  }
  if (payload.s !== scope) throw invalid()
  if (typeof payload.e !== 'number' || payload.e < now) {
    throw ERRORS.queryParameter('nextPageToken has expired; run the query again from the first page')
  }
  return payload.c
}
