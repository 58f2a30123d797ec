import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ERRORS } from '../errors.js'
import { sha256 } from './api-key-secret.js'
import { authenticate, RefusedCredentials, type Authenticator } from './authenticate.js'
import { createBootstrapKey } from './bootstrap.js'
import { FailedAuthentications } from './failed-authentications.js'
import { jwtVerifier, type OidcSettings } from './jwt.js'
import { holdsAny, type Principal, type Role } from './principal.js'
import { redeemWebsocketTicket, websocketTicketOf } from './websocket-ticket.js'

/** Who may call a route: anyone, or a caller holding one of these roles (admin holds every role). */
export type RouteAuth = 'public' | { roles: Role[] }

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route says who may call it; a route without it answers 403 to everyone (fail closed). */
    auth?: RouteAuth
  }
  interface FastifyRequest {
    /** The authenticated caller; set on every route that is not public. */
    principal: Principal
  }
  interface FastifyInstance {
    /** Every route registered after this plugin with its access rule (tests check that none is missing). */
    accessRules: AccessRule[]
  }
}

export interface AccessRule {
  method: string
  url: string
  auth: RouteAuth | undefined
}

export interface AuthOptions {
  adminApiKey: string | undefined
  oidc: OidcSettings | undefined
  /** Where the bootstrap admin key is written (DATA_DIR/admin.key). */
  dataDir: string
  /** Failed authentications (401, 403) one address may have per window before it is refused with 429 (0: no bound). */
  failureLimit?: number
  failureWindowMs?: number
}

const CHALLENGE = 'Bearer realm="nguon"'

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (!header) return undefined
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)
  return match ? match[1] : ''
}

function refuse(reply: FastifyReply, challenge: string, detail: string): never {
  reply.header('WWW-Authenticate', challenge)
  throw ERRORS.security(detail)
}

/**
 * Authentication and roles: reads `Authorization: Bearer <API key or JWT>` and enforces each route's
 * `config.auth` before the body is read. 401 for missing, malformed, unknown, expired or revoked
 * credentials, 403 for a role not held; failures are logged without the token.
 */
export default fp<AuthOptions>(
  async (app, options) => {
    const authenticator: Authenticator = {
      db: app.db,
      operatorKeyHash: options.adminApiKey === undefined ? undefined : sha256(options.adminApiKey),
      verifyJwt: options.oidc ? jwtVerifier(options.oidc) : undefined,
    }
    const failures = new FailedAuthentications(options.failureLimit ?? 0, options.failureWindowMs ?? 60_000)
    app.decorateRequest('principal', null as unknown as Principal)
    const rules: AccessRule[] = []
    app.decorate('accessRules', rules)
    app.addHook('onRoute', (route) => {
      // Read later: hooks of inner contexts (the /docs routes) may still set the rule.
      for (const method of [route.method].flat()) rules.push({ method, url: route.url, get auth() { return route.config?.auth } })
    })

    const bootstrap = await createBootstrapKey(app.db, { adminApiKey: options.adminApiKey, dataDir: options.dataDir })
    if (bootstrap) {
      // Straight to stdout, once: log pipelines keep what goes through the logger.
      process.stdout.write(
        `\n*** Nguồn: created the first admin API key (shown only now; also written to ${bootstrap.file}, mode 0600):\n` +
          `***   ${bootstrap.key}\n*** Use it as: Authorization: Bearer <key>\n\n`,
      )
      app.log.warn({ file: bootstrap.file }, 'created the bootstrap admin API key')
    }

    app.addHook('onRequest', async (request, reply) => {
      if (request.is404) return
      const rule = request.routeOptions.config.auth
      if (rule === 'public') return
      if (rule === undefined) {
        request.log.error({ route: request.routeOptions.url }, 'route without an access rule: refused')
        throw ERRORS.forbidden('This resource is not open to any caller')
      }
      const wait = failures.retryAfter(request.ip)
      if (wait > 0) {
        reply.header('Retry-After', String(wait))
        throw ERRORS.tooManyRequests(`Too many failed authentications from this address; retry in ${wait} seconds`)
      }
      function fail(challenge: string, detail: string): never {
        failures.record(request.ip)
        return refuse(reply, challenge, detail)
      }
      const ticket = request.headers.authorization === undefined ? websocketTicketOf(request) : undefined
      if (ticket !== undefined) {
        const principal = await redeemWebsocketTicket(app.db, ticket)
        if (!principal) fail(`${CHALLENGE}, error="invalid_token"`, 'The WebSocket ticket is unknown, used or expired')
        request.principal = principal
        if (!holdsAny(principal, rule.roles)) throw ERRORS.forbidden(`This resource needs one of the roles ${rule.roles.join(', ')}`)
        return
      }
      const token = bearerToken(request)
      if (token === undefined) fail(CHALLENGE, 'This resource needs an Authorization: Bearer token')
      if (token === '') fail(`${CHALLENGE}, error="invalid_request"`, 'The Authorization header is not a Bearer token')
      try {
        request.principal = await authenticate(authenticator, token)
      } catch (error) {
        if (!(error instanceof RefusedCredentials)) throw error
        request.log.info({ reason: error.message }, 'credentials refused')
        fail(`${CHALLENGE}, error="invalid_token"`, 'The token is not valid (unknown, expired or revoked)')
      }
      if (!holdsAny(request.principal, rule.roles)) {
        request.log.info({ subject: request.principal.subject, needs: rule.roles }, 'role not held')
        failures.record(request.ip)
        throw ERRORS.forbidden(`This resource needs one of the roles ${rule.roles.join(', ')}`)
      }
    })
  },
  { name: 'auth', dependencies: ['database'] },
)
