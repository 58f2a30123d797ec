import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { FastifyReply } from 'fastify'
import { ERRORS } from '../errors.js'
import { publicUrl } from '../http/public-url.js'
import { pagingQuerystring, problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { ROLES } from '../security/principal.js'
import { listKeys } from '../security/repository.js'
import { apiKeyView, createApiKey, createOrganisation, getOrganisation, organisationPage, revokeApiKey, updateOrganisation } from './service.js'

export interface AdminRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

const ADMIN = { auth: { roles: ['admin' as const] } }

const identifierSchema = {
  type: 'object',
  properties: { kind: { type: 'string', enum: ['gln', 'pgln', 'company_prefix'] }, digits: { type: 'string' } },
  required: ['kind', 'digits'],
} as const

const organisationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    identifiers: { type: 'array', items: identifierSchema },
    createdAt: { type: 'string', format: 'date-time' },
    publicationPolicy: {
      type: 'string',
      enum: ['auto', 'review'],
      description: 'auto: events that pass the publication checks are published on capture, the others held; review: every event is held for a reviewer',
    },
  },
  required: ['id', 'name', 'identifiers', 'createdAt'],
} as const

const apiKeyProperties = {
  id: { type: 'string' },
  prefix: { type: 'string', description: 'The public part of the key (ngk_<prefix>_...)' },
  organization: { type: ['string', 'null'] },
  roles: { type: 'array', items: { type: 'string' } },
  description: { type: ['string', 'null'] },
  expiresAt: { type: ['string', 'null'], format: 'date-time' },
  revokedAt: { type: ['string', 'null'], format: 'date-time' },
  createdAt: { type: 'string', format: 'date-time' },
  lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
} as const

const apiKeySchema = { type: 'object', properties: apiKeyProperties, required: ['id', 'prefix', 'roles', 'createdAt'] } as const

/** Organisations and their API keys (role admin). */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: AdminRoutesOptions }> = async (app, options) => {
  const nextLink = (reply: FastifyReply, path: string, perPage: number, token: string) =>
    reply.header('Link', `<${publicUrl(options.publicBaseUrl, `${path}?perPage=${perPage}&nextPageToken=${token}`)}>; rel="next"`)

  app.post(
    '/admin/organizations',
    {
      config: ADMIN,
      schema: {
        summary: 'Register an organisation with its GLNs, PGLNs and GS1 Company Prefixes',
        description:
          'identifiers: GLNs and PGLNs as 13 digits, GS1 Company Prefixes as 4 to 12 digits; EPC URNs (urn:epc:id:sgln:..., ' +
          'urn:epc:id:pgln:...) and Digital Links (.../414/..., .../417/...) are accepted too. They decide which events of ' +
          'others the organisation sees (as source, destination or bizLocation) and which keys its links may be set for.',
        tags: ['Administration'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
            name: { type: 'string', minLength: 1, maxLength: 500 },
            identifiers: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 2048 } },
          },
        },
        response: { 201: organisationSchema, 409: { $ref: 'problem#' }, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createOrganisation(app.db, request.body)),
  )

  app.get(
    '/admin/organizations',
    {
      config: ADMIN,
      schema: {
        summary: 'List organisations, by id',
        tags: ['Administration'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: { 200: { type: 'array', items: organisationSchema }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const perPage = request.query.perPage ?? options.defaultPerPage
      const token = request.query.nextPageToken
      const after = token === undefined ? undefined : verifyCursor(app.pageTokenKey, token, 'organizations')
      if (after !== undefined && typeof after !== 'string') throw ERRORS.queryParameter('nextPageToken is not valid for this list')
      const rows = await organisationPage(app.db, perPage + 1, after)
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) nextLink(reply, '/admin/organizations', perPage, signCursor(app.pageTokenKey, 'organizations', page.at(-1)!.id))
      return page
    },
  )

  app.get(
    '/admin/organizations/:id',
    {
      config: ADMIN,
      schema: {
        summary: 'One organisation with its identifiers',
        tags: ['Administration'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] },
        response: { 200: organisationSchema, ...problemResponses },
      },
    },
    async (request) => getOrganisation(app.db, request.params.id),
  )

  app.patch(
    '/admin/organizations/:id',
    {
      config: ADMIN,
      schema: {
        summary: "Change an organisation's publication policy",
        description:
          'publicationPolicy: auto (new organisations) publishes on capture the events that pass the publication checks and holds ' +
          'the others; review holds every event for a reviewer (GET /review/events). It applies to events captured from now on.',
        tags: ['Administration'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] },
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { publicationPolicy: { type: 'string', enum: ['auto', 'review'] } },
        },
        response: { 200: organisationSchema, ...problemResponses },
      },
    },
    async (request) => updateOrganisation(app.db, request.params.id, request.body),
  )

  app.post(
    '/admin/api-keys',
    {
      config: ADMIN,
      schema: {
        summary: 'Create an API key for an organisation (the key is in this answer only)',
        description:
          'Only a SHA-256 hash of the key is stored: keep the key from this answer. Without expiresAt the key expires after ' +
          'one year. Roles: capture, query, links, auditor, authority, reviewer, admin, and forward (a peer that may assert where the ' +
          'events it forwards were first captured: nguon:provenance).',
        tags: ['Administration'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['organization', 'roles'],
          properties: {
            organization: { type: 'string', minLength: 1, maxLength: 64 },
            roles: { type: 'array', minItems: 1, maxItems: ROLES.length, items: { type: 'string', enum: [...ROLES] } },
            expiresAt: { type: 'string', format: 'date-time' },
            description: { type: 'string', maxLength: 500 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: { ...apiKeyProperties, key: { type: 'string', description: 'The key: Authorization: Bearer <key>' } },
            required: ['id', 'key', 'prefix', 'roles', 'createdAt'],
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiKey(app.db, request.body)),
  )

  app.get(
    '/admin/api-keys',
    {
      config: ADMIN,
      schema: {
        summary: 'List API keys, newest first (never the keys themselves)',
        tags: ['Administration'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: { 200: { type: 'array', items: apiKeySchema }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const perPage = request.query.perPage ?? options.defaultPerPage
      const token = request.query.nextPageToken
      const after = token === undefined ? undefined : (verifyCursor(app.pageTokenKey, token, 'api-keys') as { createdAt: string; id: string })
      if (after !== undefined && (typeof after?.createdAt !== 'string' || typeof after.id !== 'string')) {
        throw ERRORS.queryParameter('nextPageToken is not valid for this list')
      }
      const rows = await listKeys(app.db, perPage + 1, after)
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) {
        const last = page.at(-1)!
        nextLink(reply, '/admin/api-keys', perPage, signCursor(app.pageTokenKey, 'api-keys', { createdAt: last.created_at.toISOString(), id: last.id }))
      }
      return page.map(apiKeyView)
    },
  )

  app.delete(
    '/admin/api-keys/:id',
    {
      config: ADMIN,
      schema: {
        summary: 'Revoke an API key (it is refused from now on)',
        tags: ['Administration'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] },
        response: { 204: { description: 'Revoked' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      await revokeApiKey(app.db, request.params.id)
      return reply.code(204).send()
    },
  )
}

export default routes
