import { createHmac } from 'node:crypto'

/**
 * GS1-Signature: `t=<unix seconds>,sha256=<lowercase hex HMAC-SHA256(signatureToken, "<t>." + body bytes)>`.
 * The time is signed with the body, so a receiver can refuse a delivery replayed later.
 */
export function signatureHeader(signatureToken: string, body: Buffer | readonly Buffer[], now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000)
  const hmac = createHmac('sha256', signatureToken).update(`${t}.`)
  for (const piece of Buffer.isBuffer(body) ? [body] : body) hmac.update(piece)
  const mac = hmac.digest('hex')
  return `t=${t},sha256=${mac}`
}
