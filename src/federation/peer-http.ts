/**
 * HTTP calls to a peer repository (OPTIONS /capture, POST /capture, GET of a capture job, GET /events,
 * an OAuth 2.0 token endpoint), through the same destination guard as webhooks (SUBSCRIPTION_DESTINATIONS),
 * with a connect timeout, a total timeout and a bound on the answer read. Holds no database connection.
 */
import http from 'node:http'
import https from 'node:https'
import { checkDestinationUrl, guardedLookup, RefusedDestination } from '../subscriptions/destination-guard.js'
import type { SenderSettings } from '../subscriptions/webhook-sender.js'

export interface PeerAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

export class PeerUnreachable extends Error {}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 8 }), https: new https.Agent({ keepAlive: true, maxSockets: 8 }) }

export interface PeerRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: Buffer
  /** The most of the answer that is read; more is a PeerUnreachable error. */
  maxAnswerBytes: number
}

export function peerRequest(settings: SenderSettings, request: PeerRequest): Promise<PeerAnswer> {
  let url: URL
  try {
    url = checkDestinationUrl(request.url, settings.policy)
  } catch (error) {
    return Promise.reject(new PeerUnreachable(error instanceof RefusedDestination ? `destination refused: ${error.message}` : String(error)))
  }
  const client = url.protocol === 'https:' ? https : http
  const lookup = guardedLookup(settings.policy)
  return new Promise((resolve, reject) => {
    let settled = false
    const fail = (message: string) => {
      if (settled) return
      settled = true
      clearTimeout(total)
      clearTimeout(connect)
      reject(new PeerUnreachable(message))
    }
    const headers: Record<string, string> = { ...request.headers }
    if (request.body) headers['content-length'] = String(request.body.length)
    const outgoing = client.request(url, {
      method: request.method,
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      ...(lookup ? { lookup } : {}),
      headers,
    })
    const total = setTimeout(() => outgoing.destroy(new Error(`no complete answer within ${settings.totalTimeoutMs} ms`)), settings.totalTimeoutMs)
    let connect: NodeJS.Timeout | undefined
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) return
      connect = setTimeout(() => outgoing.destroy(new Error(`no connection within ${settings.connectTimeoutMs} ms`)), settings.connectTimeoutMs)
      socket.once('connect', () => clearTimeout(connect))
    })
    outgoing.on('error', (error) => {
      const refused = error instanceof RefusedDestination || (error as { cause?: unknown }).cause instanceof RefusedDestination
      fail(`${request.method} ${url.origin}${url.pathname}: ${refused ? `destination refused: ${error.message}` : error.message}`)
    })
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = []
      let read = 0
      response.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > request.maxAnswerBytes) {
          response.destroy()
          fail(`${request.method} ${url.origin}${url.pathname}: the answer is longer than ${request.maxAnswerBytes} bytes`)
          return
        }
        chunks.push(chunk)
      })
      response.on('error', (error) => fail(error.message))
      response.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(total)
        clearTimeout(connect)
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) })
      })
    })
    outgoing.end(request.body)
  })
}

/** A peer's problem answer in one line (type, title, detail), or the start of its text; never our request. */
export function answerText(answer: PeerAnswer): string {
  const text = answer.body.toString('utf8')
  try {
    const problem = JSON.parse(text) as Record<string, unknown>
    const parts = [problem.type, problem.title, problem.detail].filter((p) => typeof p === 'string' && p.length > 0)
    // The first few of a problem's items (RFC 7807 extension `errors`: pointer and message), which say where.
    const items = (Array.isArray(problem.errors) ? problem.errors : [])
      .slice(0, 3)
      .map((item: unknown) => (typeof item === 'object' && item !== null ? Object.values(item).filter((v) => typeof v === 'string').join(' ') : String(item)))
    if (items.length > 0) parts.push(`[${items.join('; ')}]`)
    if (parts.length > 0) return parts.join(': ').slice(0, 1500)
  } catch {
    // not JSON
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 300)
}

/** Joins a path to a peer's EPCIS root (which may have a path of its own). */
export function peerUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`
}
