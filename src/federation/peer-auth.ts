/**
 * The Authorization header for calls to a peer: its bearer token, or an OAuth 2.0 access token obtained
 * with the client-credentials grant (client_secret_post) and kept until shortly before it expires.
 */
import type { SenderSettings } from '../subscriptions/webhook-sender.js'
import type { Credentials } from './credentials.js'
import { answerText, peerRequest } from './peer-http.js'

export class PeerAuthFailed extends Error {}

interface CachedToken {
  token: string
  expiresAt: number
  /** The credentials it was obtained with (changed credentials get a new token). */
  fingerprint: string
}

const EARLY_MS = 30_000

export class PeerAuthorisation {
  private readonly tokens = new Map<string, CachedToken>()

  constructor(private readonly settings: SenderSettings) {}

  async header(peerId: string, credentials: Credentials): Promise<string> {
    if ('bearer' in credentials) return `Bearer ${credentials.bearer}`
    const fingerprint = JSON.stringify(credentials)
    const cached = this.tokens.get(peerId)
    if (cached && cached.fingerprint === fingerprint && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret })
    if (credentials.scope) form.set('scope', credentials.scope)
    const answer = await peerRequest(this.settings, {
      method: 'POST',
      url: credentials.tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: Buffer.from(form.toString()),
      maxAnswerBytes: 64 * 1024,
    })
    if (answer.status !== 200) throw new PeerAuthFailed(`the token endpoint answered ${answer.status}: ${answerText(answer)}`)
    let token: { access_token?: unknown; expires_in?: unknown }
    try {
      token = JSON.parse(answer.body.toString('utf8')) as typeof token
    } catch {
      throw new PeerAuthFailed('the token endpoint answered no JSON')
    }
    if (typeof token.access_token !== 'string' || token.access_token.length === 0) throw new PeerAuthFailed('the token endpoint answered no access_token')
    const lifetimeMs = typeof token.expires_in === 'number' ? token.expires_in * 1000 : 300_000
    this.tokens.set(peerId, { token: token.access_token, fingerprint, expiresAt: Date.now() + Math.max(0, lifetimeMs - EARLY_MS) })
    return `Bearer ${token.access_token}`
  }

  /** The peer refused the token (401): the next call asks for a new one. */
  forget(peerId: string): void {
    this.tokens.delete(peerId)
  }
}
