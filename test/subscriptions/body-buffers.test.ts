/**
 * Delivery bodies are joined into memory used again by later deliveries: memory goes back only once its request is
 * closed, so deliveries cut off mid-write, answered before their body was read, or running at once never send each
 * other's bytes.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { joinPieces } from '../../src/subscriptions/body-buffers.js'
import { parseDestinationPolicy } from '../../src/subscriptions/destination-guard.js'
import { postDelivery } from '../../src/subscriptions/webhook-sender.js'

t.test('joined memory is handed out again only after it was given back', async (t) => {
  const first = joinPieces([Buffer.from('ab'), Buffer.from('cd')], 4)
  t.equal(first.body.toString(), 'abcd')
  const second = joinPieces([Buffer.from('xy')], 2)
  t.not(second.body.buffer, first.body.buffer, 'memory still in use is not handed out')
  first.release()
  first.release()
  const third = joinPieces([Buffer.from('efgh')], 4)
  t.equal(third.body.buffer, first.body.buffer, 'given back, it serves the next body')
  const fourth = joinPieces([Buffer.from('ijkl')], 4)
  t.not(fourth.body.buffer, third.body.buffer, 'a second release of the same memory does not hand it out twice')
  t.equal(third.body.toString(), 'efgh')
  const large = joinPieces([Buffer.alloc(5 * 1024 * 1024, 1)], 5 * 1024 * 1024)
  large.release()
  t.not(joinPieces([Buffer.alloc(5 * 1024 * 1024, 2)], 5 * 1024 * 1024).body.buffer, large.body.buffer, 'a very large body is not kept')
})

t.test('deliveries at once, cut off, or answered early each send only their own bytes', async (t) => {
  const received: Buffer[] = []
  let mode: 'take' | 'early' | 'cut' = 'take'
  const server = http.createServer((request, response) => {
    if (mode === 'early') {
      // Answered before the body is read: the sender may still be writing it.
      response.writeHead(413, { connection: 'close' }).end()
      return
    }
    const chunks: Buffer[] = []
    let length = 0
    request.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      length += chunk.length
      if (mode === 'cut' && length > 64 * 1024) request.socket.destroy()
    })
    request.on('end', () => {
      received.push(Buffer.concat(chunks))
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  const settings = { policy: parseDestinationPolicy('any'), connectTimeoutMs: 1000, totalTimeoutMs: 5000 }
  const body = () => Array.from({ length: 200 }, () => randomBytes(1 + Math.floor(Math.random() * 3000)))

  for (mode of ['early', 'cut'] as const) {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => postDelivery(settings, url, body(), {})))
    t.ok(outcomes.every((o) => !o.ok), `${mode}: every delivery failed`)
  }
  mode = 'take'
  const sent = Array.from({ length: 40 }, body)
  const outcomes = await Promise.all(sent.map((pieces) => postDelivery(settings, url, pieces, {})))
  t.ok(outcomes.every((o) => o.ok), 'every delivery taken')
  const expected = new Set(sent.map((pieces) => Buffer.concat(pieces).toString('base64')))
  t.equal(received.length, 40)
  t.ok(received.every((bytes) => expected.has(bytes.toString('base64'))), 'each body arrived as it was sent, none mixed with another')
})
