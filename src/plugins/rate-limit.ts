import rateLimit from '@fastify/rate-limit'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ERRORS } from '../errors.js'
import type { Principal } from '../security/principal.js'
import { WindowStore } from './rate-limit-store.js'

export interface RateLimitOptions {
  /** Requests per window for one caller; 0 turns the limit off. */
  max: number
  windowMs: number
}

/** One bucket per authenticated caller (API key, JWT subject, operator), else per client address. */
function callerKey(request: FastifyRequest): string {
  // Public routes leave the principal unset (null).
  const principal = request.principal as Principal | null
  return principal ? `caller:${principal.subject}` : `address:${request.ip}`
}

/**
 * Per-caller rate limits. The count runs in preHandler, after authentication has named the caller;
 * over the limit: 429 with Retry-After and an EPCIS problem. The counters are per instance (in memory).
 */
export default fp<RateLimitOptions>(
  async (app, options) => {
    if (options.max === 0) return
    await app.register(rateLimit, {
      global: true,
      hook: 'preHandler',
      max: options.max,
      timeWindow: options.windowMs,
      keyGenerator: callerKey,
      store: WindowStore,
      // Load balancers and orchestrators probe these from one address, often: a 429 would take the instance out.
      allowList: (request) => request.routeOptions.url?.startsWith('/health/') === true,
      errorResponseBuilder: (_request, context) =>
        ERRORS.tooManyRequests(`Rate limit of ${context.max} requests exceeded; retry in ${context.after}`),
    })
  },
  { name: 'rate-limit' },
)
