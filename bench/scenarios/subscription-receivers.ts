/**
 * The loopback receivers of the subscriptions scenario, in a process of their own (forked by it), so that
 * parsing a hundred receivers' deliveries does not take CPU from the service being measured, as a real
 * receiver on another machine would not. One server stands for every receiver (a path each) and records
 * when each event arrived; the parent asks for the counts and, at the end, the arrival times over IPC.
 *
 * The receivers share the service's two cores, which a receiver elsewhere would not. So each one does what a
 * webhook receiver should do first, and no more while the deliveries come: it keeps the body with the time it
 * arrived and answers 204. Finding the eventIDs in the kept bodies (the bookkeeping of this measurement, not
 * work of the service) waits until the parent asks for the counts, which it does only after the capture.
 * The delivered documents' form is checked by the subscription tests, not here.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { FLOOR_PATH } from './delivery-floor.js'

export type ReceiverRequest = { kind: 'counts' } | { kind: 'arrivals' }
export type ReceiverAnswer =
  | { kind: 'listening'; url: string }
  | { kind: 'counts'; received: number; repeats: number; deliveries: number; bytes: number }
  | { kind: 'arrivals'; arrivals: Array<[string, number[]]> }

/** An event's eventID as the service writes it (no event of the bench has another member of that name). */
const EVENT_ID = Buffer.from('"eventID":"')
const QUOTE = 0x22
const arrivals = new Map<string, number[]>()
/** Each receiver's path and eventID seen: an event a subscription received before is a repeat. */
const seen = new Set<string>()
let repeats = 0
let received = 0
let deliveries = 0
let bytes = 0
/** Deliveries taken but not yet counted: the time each arrived and its body. */
let kept: Array<{ at: number; path: string; body: Buffer }> = []

/** Each eventID of a delivery, read from its bytes: only the identifiers are decoded, never the whole document. */
function eventIdsIn(body: Buffer): string[] {
  const ids: string[] = []
  for (let at = body.indexOf(EVENT_ID); at >= 0; at = body.indexOf(EVENT_ID, at)) {
    const start = at + EVENT_ID.length
    const end = body.indexOf(QUOTE, start)
    if (end < 0) break
    ids.push(body.toString('latin1', start, end))
    at = end
  }
  return ids
}

/**
 * Where the kept bodies are copied: memory taken and touched once, before the measurements, and used again after each
 * count. Keeping each delivery's socket chunks instead made the receivers touch 180 MB of fresh memory during the
 * capture (a page fault every 4 KiB), which the floor, measured later on memory freed by then, did not pay.
 */
const ARENA_CHUNK = 64 * 1024 * 1024
const arena = Array.from({ length: 4 }, () => Buffer.alloc(ARENA_CHUNK).fill(0xff))
let arenaChunk = 0
let arenaUsed = 0
/** Deliveries still arriving: their bodies may lie in the arena, so it is used again only when none is. */
let arriving = 0

/** Room for `length` bytes: the rest of the current arena chunk, the next one, or (past them all) new memory. */
function room(length: number): Buffer {
  if (arenaUsed + length > ARENA_CHUNK) {
    arenaChunk++
    arenaUsed = 0
  }
  if (length > ARENA_CHUNK || arenaChunk >= arena.length) return Buffer.allocUnsafe(length)
  const place = arena[arenaChunk]!.subarray(arenaUsed, arenaUsed + length)
  arenaUsed += length
  return place
}

/** Counts the kept deliveries' events and records when each arrived. */
function settle(): void {
  for (const { at, path, body } of kept) {
    for (const eventId of eventIdsIn(body)) {
      // The floor sends one body again and again on purpose.
      if (path !== FLOOR_PATH) {
        const key = `${path} ${eventId}`
        if (seen.has(key)) repeats++
        else seen.add(key)
      }
      const list = arrivals.get(eventId)
      if (list) list.push(at)
      else arrivals.set(eventId, [at])
      received++
    }
  }
  kept = []
  if (arriving === 0) {
    arenaChunk = 0
    arenaUsed = 0
  }
}

const server = http.createServer((request, response) => {
  // Every delivery names its length (the service and the floor both send Content-Length).
  const body = room(Number(request.headers['content-length']))
  arriving++
  let length = 0
  request.on('data', (c: Buffer) => {
    length += c.copy(body, length)
    bytes += c.length
  })
  request.on('close', () => arriving--)
  request.on('end', () => {
    deliveries++
    kept.push({ at: Date.now(), path: request.url ?? '', body: body.subarray(0, length) })
    response.writeHead(204).end()
  })
})
server.keepAliveTimeout = 60_000

const send = (answer: ReceiverAnswer) => process.send!(answer)
process.on('message', (request: ReceiverRequest) => {
  settle()
  if (request.kind === 'counts') send({ kind: 'counts', received, repeats, deliveries, bytes })
  else send({ kind: 'arrivals', arrivals: [...arrivals] })
})
process.on('disconnect', () => {
  server.closeAllConnections()
  server.close()
})
server.listen(0, '127.0.0.1', () => send({ kind: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
