import type { FastifyPluginAsync } from 'fastify'
import { ERRORS } from '../../errors.js'
import { registerDiscovery } from '../../http/discovery.js'
import { publicUrl } from '../../http/public-url.js'
import { problemResponses } from '../../http/shared-schemas.js'
import { sendProblem } from '../../plugins/problem.js'
import {
  declaredNamespaces,
  queryDocumentResponse,
  querySettings,
  requestParams,
  sendEventPage,
  setNextPageHeaders,
  type QueryRoutesOptions,
} from '../http.js'
import { signCursor, verifyCursor } from '../page-token.js'
import { READ_EVENTS } from '../../security/route-rules.js'
import { visibilityScope } from '../../security/visibility.js'
import { listNamedQueries } from './repository.js'
import { createNamedQuery, getNamedQuery, namedQueryEvents, removeNamedQuery, type NamedQuery } from './service.js'

const queryName = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9._~-]+$',
  description: 'Letters, digits and . _ ~ -',
} as const

const definition = {
  type: 'object',
  description: 'A named query: its name and an EPCIS query in the JSON form of the EPCIS 2.0 query schema',
  properties: {
    name: queryName,
    query: {
      type: 'object',
      additionalProperties: true,
      description: 'Query parameters as in GET /events (lists as arrays); an optional @context declares namespace prefixes',
    },
  },
  required: ['name', 'query'],
  additionalProperties: false,
} as const

const nameParams = { type: 'object', properties: { queryName }, required: ['queryName'] } as const

const routes: FastifyPluginAsync<QueryRoutesOptions> = async (app, options) => {
  registerDiscovery(app, '/queries', ['GET', 'POST'])
  registerDiscovery(app, '/queries/:queryName', ['GET', 'DELETE'])
  registerDiscovery(app, '/queries/:queryName/events', ['GET'])
  registerDiscovery(app, '/nextPageToken/:token', ['DELETE'])

  app.post(
    '/queries',
    {
      config: { auth: { roles: ['query'] } },
      schema: {
        summary: 'Create a named query',
        description:
          'Stores an EPCIS query under a name; its events are at /queries/{queryName}/events. 400 for an invalid query, ' +
          '409 ResourceAlreadyExistsException when the name is taken.',
        tags: ['Queries'],
        body: definition,
        response: {
          201: { ...definition, description: 'Created; the Location header names the query' },
          409: { $ref: 'problem#' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as NamedQuery
      await createNamedQuery(app.db, body, declaredNamespaces(request), querySettings(options), request.principal.organisationId)
      reply.header('Location', publicUrl(options.publicBaseUrl, `/queries/${encodeURIComponent(body.name)}`))
      return reply.code(201).send({ name: body.name, query: body.query })
    },
  )

  app.get(
    '/queries',
    {
      config: { auth: READ_EVENTS },
      schema: {
        summary: 'The named queries, by name',
        tags: ['Queries'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            perPage: { type: 'integer', minimum: 1, maximum: options.maxPerPage, description: 'How many queries one page holds' },
            nextPageToken: { type: 'string', maxLength: 4096, description: 'The token from the previous page\'s Link header' },
          },
        },
        response: { 200: { type: 'array', items: definition }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { perPage = options.defaultPerPage, nextPageToken } = request.query as { perPage?: number; nextPageToken?: string }
      const after = nextPageToken === undefined ? undefined : verifyCursor(app.pageTokenKey, nextPageToken, 'queries')
      if (after !== undefined && typeof after !== 'string') throw ERRORS.queryParameter('nextPageToken is not valid here')
      const rows = await listNamedQueries(app.db, after, perPage + 1)
      const page = rows.slice(0, perPage)
      const token = rows.length > perPage ? signCursor(app.pageTokenKey, 'queries', page.at(-1)!.name) : undefined
      setNextPageHeaders(request, reply, options.publicBaseUrl, token)
      return page.map((row) => ({ name: row.name, query: row.query }))
    },
  )

  app.get(
    '/queries/:queryName',
    {
      config: { auth: READ_EVENTS },
      schema: {
        summary: 'One named query',
        tags: ['Queries'],
        params: nameParams,
        response: { 200: definition, ...problemResponses },
      },
    },
    async (request) => getNamedQuery(app.db, (request.params as { queryName: string }).queryName),
  )

  app.delete(
    '/queries/:queryName',
    {
      config: { auth: { roles: ['query'] } },
      schema: {
        summary: 'Delete a named query',
        description: 'Only the organisation that created the query (or an admin) may delete it; others get 403.',
        tags: ['Queries'],
        params: nameParams,
        response: { 204: { description: 'Deleted', type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      await removeNamedQuery(app.db, (request.params as { queryName: string }).queryName, request.principal)
      return reply.code(204).send()
    },
  )

  app.get(
    '/queries/:queryName/events',
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
      schema: {
        summary: "The events of a named query, paged",
        description: 'Runs the stored query; only perPage and nextPageToken may be added.',
        tags: ['Queries', 'Events'],
        params: nameParams,
        querystring: {
          type: 'object',
          additionalProperties: true,
          properties: {
            perPage: { type: 'string', description: 'How many events one page holds' },
            nextPageToken: { type: 'string', description: 'The token from the previous page\'s Link header' },
          },
        },
        response: { 200: queryDocumentResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { queryName: name } = request.params as { queryName: string }
      const page = await namedQueryEvents(
        app.db,
        app.pageTokenKey,
        name,
        requestParams(request),
        querySettings(options),
        visibilityScope(request.principal),
      )
      return sendEventPage(app, request, reply, page, options.publicBaseUrl, name)
    },
  )

  app.delete(
    '/nextPageToken/:token',
    {
      config: { auth: READ_EVENTS },
      schema: {
        summary: 'Release a page token (not needed here: tokens are stateless)',
        description: 'Page tokens are signed, not stored, so there is nothing to release: 501.',
        tags: ['Queries'],
        params: { type: 'object', properties: { token: { type: 'string', maxLength: 4096 } }, required: ['token'] },
        response: { 501: { $ref: 'problem#' } },
      },
    },
    async (request, reply) =>
      sendProblem(reply, {
        type: 'epcisException:ImplementationException',
        title: 'Not implemented',
        status: 501,
        detail: 'Page tokens are stateless (signed, not stored): there is nothing to release; they expire on their own.',
        instance: `urn:uuid:${request.id}`,
      }),
  )
}

export default routes
