import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { FastifyRequest } from 'fastify'
import { ERRORS } from '../errors.js'
import { publicUrl, requestPath } from '../http/public-url.js'
import { pagingQuerystring, problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { keyLevels, parseKeyPath } from './key-levels.js'
import { linkSetView, validateLinkSet } from './link-admin.js'
import { resolverOrigin } from './origin.js'
import { deleteLinkSet, findLinkSet, listLinkSets, saveLinkSet } from './repository.js'
import { ownsKey } from '../security/link-ownership.js'
import type { Principal } from '../security/principal.js'

export interface LinkRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

const linkSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['linkType', 'href', 'title'],
  properties: {
    linkType: { type: 'string', maxLength: 200, description: 'A GS1 Web Vocabulary link type: gs1:pip or https://gs1.org/voc/pip' },
    href: { type: 'string', maxLength: 2048, description: 'Absolute http(s) URL of the target' },
    title: { type: 'string', minLength: 1, maxLength: 500 },
    type: {
      type: 'string',
      maxLength: 255,
      pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$',
      description: 'Media type of the target, e.g. text/html',
    },
    hreflang: {
      type: 'array',
      maxItems: 20,
      items: { type: 'string', pattern: '^[A-Za-z]{2}(-[A-Za-z]{2})?$' },
      description: 'Languages of the target (as the GS1 linkset schema allows: vi, en, en-GB)',
    },
    context: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 100 } },
    fwqs: { type: 'boolean', description: 'false: the query string of a request is not passed on when redirecting (default true)' },
  },
} as const

const linkSetBody = {
  type: 'object',
  additionalProperties: false,
  required: ['itemDescription', 'links'],
  properties: {
    itemDescription: { type: 'string', minLength: 1, maxLength: 500 },
    defaultLinkType: {
      type: 'string',
      maxLength: 200,
      description:
        'The link type to redirect to by default; one of the links\' types, or gs1:traceability / gs1:epcis (provided by ' +
        'the repository). Without it the consumer traceability page stays the default.',
    },
    links: { type: 'array', maxItems: 200, items: linkSchema },
  },
} as const

const linkSetSchema = {
  type: 'object',
  required: ['identifier', 'digitalLink', 'itemDescription', 'defaultLinkType', 'links', 'createdAt', 'updatedAt'],
  properties: {
    identifier: { type: 'string', description: 'Canonical Digital Link path of the key, e.g. /01/09506000134352/10/LOT1' },
    digitalLink: { type: 'string' },
    itemDescription: { type: 'string' },
    defaultLinkType: { type: ['string', 'null'] },
    links: { type: 'array', items: linkSchema },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const

const wildcardParams = {
  type: 'object',
  properties: { '*': { type: 'string', description: 'The key: {ai}/{value}[/{qualifier ai}/{value}...], e.g. 01/09506000134352/10/LOT1' } },
} as const

/** The canonical path of the key in /links/{ai}/{value}/...: a GS1 primary key with key qualifiers only. */
function keyOf(request: FastifyRequest): string {
  const path = requestPath(request).slice('/links'.length)
  return keyLevels(parseKeyPath(path))[0]!.path
}

function checkOwnership(principal: Principal, identifier: string): void {
  if (!ownsKey(principal, identifier)) {
    throw ERRORS.forbidden(`${identifier} does not start with a GS1 Company Prefix or GLN of your organisation`)
  }
}

/**
 * Link administration: enterprises register links (product page, certificates, ...) for their
 * keys: only keys whose company prefix or GLN belongs to the caller's organisation (admins: any).
 */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: LinkRoutesOptions }> = async (app, options) => {
  app.put(
    '/links/*',
    {
      config: { auth: { roles: ['links'] } },
      schema: {
        summary: 'Register the links of a GS1 key',
        description:
          'Replaces the links the resolver gives for /{ai}/{value}[/{qualifier ai}/{value}...]. Link types are checked ' +
          'against the GS1 Web Vocabulary, hrefs must be absolute http(s) URLs. 201 when the key had no links, else 200.',
        tags: ['Links'],
        params: wildcardParams,
        body: linkSetBody,
        response: { 200: linkSetSchema, 201: linkSetSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const identifier = keyOf(request)
      checkOwnership(request.principal, identifier)
      const { links, defaultLinkType } = validateLinkSet(request.body)
      const { row, created } = await saveLinkSet(app.db, {
        identifier,
        itemDescription: request.body.itemDescription,
        defaultLinkType,
        links,
        organisationId: request.principal.organisationId,
      })
      if (created) reply.header('Location', publicUrl(options.publicBaseUrl, `/links${identifier}`))
      return reply.code(created ? 201 : 200).send(linkSetView(row, resolverOrigin(request, options.publicBaseUrl)))
    },
  )

  app.get(
    '/links/*',
    {
      config: { auth: { roles: ['links'] } },
      schema: {
        summary: 'The links registered for a GS1 key',
        tags: ['Links'],
        params: wildcardParams,
        response: { 200: linkSetSchema, ...problemResponses },
      },
    },
    async (request) => {
      const identifier = keyOf(request)
      const row = await findLinkSet(app.db, identifier)
      if (!row) throw ERRORS.noSuchResource(`No links are registered for ${identifier}`)
      return linkSetView(row, resolverOrigin(request, options.publicBaseUrl))
    },
  )

  app.delete(
    '/links/*',
    {
      config: { auth: { roles: ['links'] } },
      schema: {
        summary: 'Remove the links registered for a GS1 key',
        description: 'The automatic links (gs1:epcis, gs1:traceability) of an identifier the repository has seen remain.',
        tags: ['Links'],
        params: wildcardParams,
        response: { 204: { description: 'Removed' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const identifier = keyOf(request)
      checkOwnership(request.principal, identifier)
      if (!(await deleteLinkSet(app.db, identifier))) throw ERRORS.noSuchResource(`No links are registered for ${identifier}`)
      return reply.code(204).send()
    },
  )

  app.get(
    '/links',
    {
      config: { auth: { roles: ['links'] } },
      schema: {
        summary: 'Every key with registered links, by key',
        tags: ['Links'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: { 200: { type: 'array', items: linkSetSchema }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const perPage = request.query.perPage ?? options.defaultPerPage
      const after = request.query.nextPageToken ? String(verifyCursor(app.pageTokenKey, request.query.nextPageToken, 'links')) : undefined
      const rows = await listLinkSets(app.db, perPage + 1, after)
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) {
        const token = signCursor(app.pageTokenKey, 'links', page[page.length - 1]!.identifier)
        reply.header('Link', `<${publicUrl(options.publicBaseUrl, `/links?perPage=${perPage}&nextPageToken=${token}`)}>; rel="next"`)
      }
      const origin = resolverOrigin(request, options.publicBaseUrl)
      return page.map((row) => linkSetView(row, origin))
    },
  )
}

export default routes
