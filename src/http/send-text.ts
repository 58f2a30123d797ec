import type { FastifyReply } from 'fastify'

/**
 * Sends an already serialised body. Event documents are serialised by hand because their events
 * carry arbitrary extension fields that a response schema's serialiser would drop.
 */
export function sendSerialized(reply: FastifyReply, contentType: string, body: string): FastifyReply {
  return reply.type(contentType).send(body)
}
