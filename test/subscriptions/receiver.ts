/** A webhook receiver on loopback for the subscription tests: records every delivery; its answers can be scripted. */
import { createHmac, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Delivery {
  headers: http.IncomingHttpHeaders
  body: Buffer
  json: { epcisBody: { queryResults: { queryName: string; subscriptionID: string; resultsBody: { eventList: Array<Record<string, unknown>> } } } }
  status: number
}

/** What to answer: a status, optionally after a delay; 'hang' never answers, 'destroy' cuts the connection. */
export type Answer = number | { status: number; delayMs: number } | 'hang' | 'destroy'

export interface Receiver {
  url: string
  port: number
  deliveries: Delivery[]
  /** Deliveries answered 2xx. */
  taken(): Delivery[]
  /** eventIDs of the deliveries answered 2xx, in order. */
  takenEventIds(): string[]
  answer: (delivery: Omit<Delivery, 'status'>, index: number) => Answer
  close(): Promise<void>
  /** Stops listening (connections refused) and starts again on the same port. */
  stop(): Promise<void>
  restart(): Promise<void>
}

export async function startReceiver(port = 0): Promise<Receiver> {
  let server: http.Server
  const receiver: Receiver = {
    url: '',
    port: 0,
    deliveries: [],
    taken: () => receiver.deliveries.filter((d) => d.status >= 200 && d.status < 300),
    takenEventIds: () => receiver.taken().flatMap((d) => d.json.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID as string)),
    answer: () => 200,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    stop: async () => receiver.close(),
    restart: async () => {
      server = create()
      await new Promise<void>((resolve) => server.listen(receiver.port, '127.0.0.1', () => resolve()))
    },
  }
  const create = () =>
    http.createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (c: Buffer) => chunks.push(c))
      request.on('end', () => {
        const body = Buffer.concat(chunks)
        const partial = { headers: request.headers, body, json: JSON.parse(body.toString('utf8')) as Delivery['json'] }
        const answer = receiver.answer(partial, receiver.deliveries.length)
        if (answer === 'destroy') {
          receiver.deliveries.push({ ...partial, status: 0 })
          request.socket.destroy()
          return
        }
        if (answer === 'hang') {
          receiver.deliveries.push({ ...partial, status: 0 })
          return
        }
        const { status, delayMs } = typeof answer === 'number' ? { status: answer, delayMs: 0 } : answer
        const delivery = { ...partial, status: 0 }
        receiver.deliveries.push(delivery)
        setTimeout(() => {
          response.writeHead(status, { 'content-type': 'application/json' }).end('{}')
          delivery.status = status
        }, delayMs)
      })
    })
  server = create()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  receiver.port = (server.address() as AddressInfo).port
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`
  return receiver
}

/** The receiver's side of GS1-Signature: true when the header signs this body with this token. */
export function verifySignature(header: string | undefined, body: Buffer, token: string): boolean {
  const match = /^t=(\d+),sha256=([0-9a-f]{64})$/.exec(header ?? '')
  if (!match) return false
  const expected = createHmac('sha256', token).update(`${match[1]}.`).update(body).digest()
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
