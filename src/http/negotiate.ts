import accepts from 'accepts'
import type { FastifyRequest } from 'fastify'
import { ERRORS } from '../errors.js'

/** The best of the offered media types for the request's Accept header (quality values honoured), or 406. */
export function negotiate(request: FastifyRequest, offered: string[]): string {
  const chosen = accepts(request.raw).type(offered)
  if (!chosen) throw ERRORS.notAcceptable(`this resource is available as ${offered.join(', ')}`)
  return chosen as string
}
