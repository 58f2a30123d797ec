import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { runAs, type WorkClass } from '../db/work-class.js'
import { ERRORS } from '../errors.js'
import type { Principal } from '../security/principal.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The class of work of a route, whose pool its database calls use (src/db/work-class.ts). Unset:
     * `health` under /health/, `public` for public routes, else `default`.
     */
    workClass?: WorkClass
  }
}

export interface AdmissionOptions {
  /** How many query-class requests one caller (organisation, else credential) may have running at once (0: no bound). */
  queryConcurrencyPerCaller: number
}

/** Seconds a caller over its bound is told to wait: its running queries take about that long to give a slot back. */
const RETRY_AFTER_SECONDS = 2

function workClassOf(route: RouteOptions): WorkClass {
  if (route.config?.workClass) return route.config.workClass
  if (route.url.startsWith('/health/')) return 'health'
  return route.config?.auth === 'public' ? 'public' : 'default'
}

/** Who a bound on concurrent queries applies to: the organisation (all its keys together), else the credential. */
function callerOf(request: FastifyRequest): string {
  const principal = request.principal as Principal | null
  if (!principal) return `address:${request.ip}`
  return principal.organisationId === null ? `subject:${principal.subject}` : `organisation:${principal.organisationId}`
}

/** Counts running requests per caller; `enter` refuses beyond the bound. */
class CallerSlots {
  private readonly running = new Map<string, number>()

  constructor(private readonly bound: number) {}

  enter(caller: string): (() => void) | undefined {
    const count = this.running.get(caller) ?? 0
    if (this.bound > 0 && count >= this.bound) return undefined
    this.running.set(caller, count + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.running.get(caller) ?? 1) - 1
      if (left === 0) this.running.delete(caller)
      else this.running.set(caller, left)
    }
  }
}

const WRAPPED = Symbol('admission')

type Handler = (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown

/**
 * Admission control per class of work: every route's handler runs as its class (so its database calls
 * use that class's own pool and cannot starve the resolver or the health probes), and a caller may have
 * only so many query-class requests running at once; beyond that, 429 with Retry-After. The slot is held
 * until the handler's work is done, even when the client has gone.
 */
export default fp<AdmissionOptions>(
  async (app, options) => {
    const slots = new CallerSlots(options.queryConcurrencyPerCaller)
    app.addHook('onRoute', (route) => {
      const handler = route.handler as Handler & { [WRAPPED]?: true }
      if (handler[WRAPPED]) return
      const workClass = workClassOf(route)
      const wrapped: Handler & { [WRAPPED]?: true } =
        workClass === 'query'
          ? async function (this: unknown, request, reply) {
              const leave = slots.enter(callerOf(request))
              if (!leave) {
                reply.header('Retry-After', String(RETRY_AFTER_SECONDS))
                throw ERRORS.tooManyRequests(
                  `This caller already has ${options.queryConcurrencyPerCaller} queries running; retry in ${RETRY_AFTER_SECONDS} seconds`,
                )
              }
              try {
                return await runAs(workClass, () => handler.call(this, request, reply))
              } finally {
                leave()
              }
            }
          : function (this: unknown, request, reply) {
              return runAs(workClass, () => handler.call(this, request, reply))
            }
      wrapped[WRAPPED] = true
      route.handler = wrapped as RouteOptions['handler']
    })
  },
  { name: 'admission' },
)
