import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { ERRORS } from '../errors.js'

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

/** Checks of path and query values that hold for every route. */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => refuseNul(request))
    app.addHook('preHandler', async (request) => refuseNonFiniteNumbers(request))
  },
  { name: 'request-values' },
)
