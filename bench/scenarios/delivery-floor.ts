/**
 * The floor of the subscriptions scenario's deliveries on this machine: the bytes the service delivered, POSTed
 * again to the same receivers by a bare Node.js client (keep-alive, as many sockets as the service's webhook
 * agent), with nothing found, read or rendered. What this costs the sender and the receivers is what any
 * repository would pay to push that many bytes to receivers on the same cores.
 */
import http from 'node:http'

export interface DeliveryVolume {
  posts: number
  bytes: number
  events: number
}

/** The receivers' path the floor posts to (its one body, again and again, is not a repeat of the service's). */
export const FLOOR_PATH = '/hook/floor'

/** As the service's webhook agent (src/subscriptions/webhook-sender.ts). */
const SOCKETS = 32

/** One body of about `size` bytes holding `events` events, each with an eventID the receivers read. */
function body(size: number, events: number): Buffer {
  const each = Math.max(0, Math.floor(size / Math.max(1, events)) - 60)
  const list = Array.from({ length: events }, (_, i) => `{"eventID":"urn:uuid:floor-${i}","pad":"${'x'.repeat(each)}"}`)
  return Buffer.from(`{"epcisBody":{"queryResults":{"resultsBody":{"eventList":[${list.join(',')}]}}}}`)
}

/**
 * Prepares the documents (one body, sent `volume.posts` times: writing it is not part of the floor), then `send`
 * POSTs them to `url`, SOCKETS at a time.
 */
export function deliveryReplay(url: string, volume: DeliveryVolume): { send(): Promise<void> } {
  const payload = body(volume.bytes / Math.max(1, volume.posts), Math.round(volume.events / Math.max(1, volume.posts)))
  return { send: () => replay(url, payload, volume.posts) }
}

async function replay(url: string, payload: Buffer, posts: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS })
  let next = 0
  const post = (payload: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/ld+json', 'content-length': payload.length } }, (response) => {
        response.resume()
        response.on('end', () => (response.statusCode! < 300 ? resolve() : reject(new Error(`the receivers answered ${response.statusCode}`))))
      })
      request.on('error', reject)
      request.end(payload)
    })
  try {
    await Promise.all(
      Array.from({ length: SOCKETS }, async () => {
        while (next++ < posts) await post(payload)
      }),
    )
  } finally {
    agent.destroy()
  }
}
