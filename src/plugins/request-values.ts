import { Readable } from 'node:stream'
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { unstorableString } from '../epcis/storable.js'
import { ERRORS } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route finds unstorable strings in its body itself (capture: per event, so that `proceed` keeps the rest). */
    checksBodyStrings?: boolean
  }
}

function* valuesOf(record: unknown): Generator<[string, unknown]> {
  if (record === null || typeof record !== 'object') return
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value)) for (const item of value) yield [name, item]
    else yield [name, value]
  }
}

/** A path or query value holding NUL, which PostgreSQL text cannot hold: refused before any route reads it. */
function refuseNul(request: FastifyRequest): void {
  for (const [name, value] of valuesOf(request.params)) {
    if (typeof value === 'string' && value.includes('\u0000')) {
      throw ERRORS.validation('The path holds a NUL character (%00), which no EPCIS value may hold', [{ pointer: name, message: 'holds NUL' }])
    }
  }
  for (const [name, value] of valuesOf(request.query)) {
    if (typeof value === 'string' && value.includes('\u0000')) {
      throw ERRORS.queryParameter(`${name} holds a NUL character (%00), which no EPCIS value may hold`, [{ pointer: name, message: 'holds NUL' }])
    }
  }
}

/**
 * ajv's type coercion turns `Infinity` and `1e400` into numbers that pass `type: integer` and `maximum`:
 * such a value is refused after validation, whatever route declared it.
 */
function refuseNonFiniteNumbers(request: FastifyRequest): void {
  for (const [name, value] of [...valuesOf(request.query), ...valuesOf(request.params)]) {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw ERRORS.queryParameter(`${name} must be a finite number`, [{ pointer: name, message: 'must be a finite number' }])
    }
  }
}

/**
 * A JSON body holding a string PostgreSQL cannot store (a lone surrogate, NUL) is refused before the route
 * reads it, whatever the route stores it in (jsonb, text).
 */
function refuseUnstorableBody(request: FastifyRequest): void {
  if (request.routeOptions.config?.checksBodyStrings) return
  const body = request.body
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || body instanceof Readable) return
  const unstorable = unstorableString(body, '')
  if (unstorable) throw ERRORS.validation('The body holds a value that cannot be stored', [unstorable])
}

/** Checks of path and query values, and of JSON bodies, that hold for every route. */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => refuseNul(request))
    app.addHook('preValidation', async (request) => refuseUnstorableBody(request))
    app.addHook('preHandler', async (request) => refuseNonFiniteNumbers(request))
  },
  { name: 'request-values' },
)
