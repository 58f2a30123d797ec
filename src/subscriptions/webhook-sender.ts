/**
 * One delivery: a POST of the body to the destination, with a connect timeout and a total timeout,
 * through the destination guard. Holds no database connection.
 */
import http from 'node:http'
import https from 'node:https'
import { joinPieces } from './body-buffers.js'
import { checkDestinationUrl, guardedLookup, RefusedDestination, type DestinationPolicy } from './destination-guard.js'

export interface SenderSettings {
  policy: DestinationPolicy
  connectTimeoutMs: number
  totalTimeoutMs: number
}

/** `smaller`: a smaller batch may go through (a destination that ran out of time for this one). */
export type DeliveryOutcome =
  | { ok: true; status: number }
  | { ok: false; status?: number; error: string; smaller?: boolean }

/** The most of a receiver's answer that is read (the rest is discarded). */
const MAX_ANSWER_BYTES = 64 * 1024

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32 }) }

export function postDelivery(
  settings: SenderSettings,
  dest: string,
  body: Buffer | readonly Buffer[],
  headers: Record<string, string>,
): Promise<DeliveryOutcome> {
  const pieces = Buffer.isBuffer(body) ? [body] : body
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0)
  let url: URL
  try {
    url = checkDestinationUrl(dest, settings.policy)
  } catch (error) {
    return Promise.resolve({ ok: false, error: error instanceof RefusedDestination ? `destination refused: ${error.message}` : String(error) })
  }
  const client = url.protocol === 'https:' ? https : http
  const lookup = guardedLookup(settings.policy)
  return new Promise((resolve) => {
    let settled = false
    const finish = (outcome: DeliveryOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(total)
      clearTimeout(connect)
      resolve(outcome)
    }
    const request = client.request(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      ...(lookup ? { lookup } : {}),
      headers: { 'content-type': 'application/json', 'content-length': String(length), ...headers },
    })
    const total = setTimeout(() => {
      request.destroy(new Error(`no complete answer within ${settings.totalTimeoutMs} ms`))
    }, settings.totalTimeoutMs)
    let connect: NodeJS.Timeout | undefined
    request.on('socket', (socket) => {
      if (!socket.connecting) return
      connect = setTimeout(() => request.destroy(new Error(`no connection within ${settings.connectTimeoutMs} ms`)), settings.connectTimeoutMs)
      socket.once('connect', () => clearTimeout(connect))
    })
    request.on('error', (error) => {
      const refused = error instanceof RefusedDestination || (error as { cause?: unknown }).cause instanceof RefusedDestination
      finish({ ok: false, error: refused ? `destination refused: ${error.message}` : error.message })
    })
    request.on('response', (response) => {
      let read = 0
      response.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > MAX_ANSWER_BYTES) response.destroy()
      })
      const status = response.statusCode ?? 0
      const done = () =>
        finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `the receiver answered ${status}` })
      response.on('end', done)
      response.on('close', done)
      response.on('error', () => done())
    })
    if (pieces.length === 1) {
      request.end(pieces[0])
      return
    }
    const joined = joinPieces(pieces, length)
    // Closed, the request has no write pending: the memory may serve another delivery.
    request.once('close', joined.release)
    request.end(joined.body)
  })
}
