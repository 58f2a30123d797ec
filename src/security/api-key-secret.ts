import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** An API key as given to its holder once: `ngk_<prefix>_<secret>` (prefix 12 hex digits, secret 32 random bytes base64url). */
export interface NewKeySecret {
  prefix: string
  key: string
  hash: Buffer
}

const KEY_PATTERN = /^ngk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

export function newKeySecret(): NewKeySecret {
  const prefix = randomBytes(6).toString('hex')
  const secret = randomBytes(32).toString('base64url')
  return { prefix, key: `ngk_${prefix}_${secret}`, hash: sha256(secret) }
}

/** The parts of a token shaped like one of our API keys; undefined for anything else (a JWT, garbage). */
export function parseKey(token: string): { prefix: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(token)
  return match ? { prefix: match[1]!, secret: match[2]! } : undefined
}

/** Constant-time comparison of two SHA-256 digests. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
