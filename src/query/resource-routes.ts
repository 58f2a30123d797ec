import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify'
import { findKnownPrefixes } from '../company-prefix/repository.js'
import { EPCIS_CONTEXT_URL } from '../epcis/known-contexts.js'
import { ERRORS } from '../errors.js'
import { registerDiscovery } from '../http/discovery.js'
import { epcFormatOf } from '../http/event-response.js'
import { pagingQuerystring, problemResponses } from '../http/shared-schemas.js'
import { companyPrefixCandidates, toDigitalLink, toEpcUrn } from '../identifiers/index.js'
import { signCursor, verifyCursor } from './page-token.js'
import { documentedQueryString } from './param-docs.js'
import { checkText } from './param-values.js'
import {
  collectionResponse,
  declaredNamespaces,
  queryDocumentResponse,
  querySettings,
  requestParams,
  sendEventPage,
  setNextPageHeaders,
  type QueryRoutesOptions,
} from './http.js'
import { keyExists, listKeys, RESOURCES, type Resource } from './resources.js'
import { queryEvents } from './service.js'
import { READ_EVENTS } from '../security/route-rules.js'
import { visibilityScope } from '../security/visibility.js'

/** Identifier members written per GS1-EPC-Format: Digital Links by default, EPC URNs where the Company Prefix is known. */
async function identifierWriter(app: FastifyInstance, request: FastifyRequest, keys: string[]): Promise<(key: string) => string> {
  const format = epcFormatOf(request)
  if (format !== 'Always_EPC_URN') return (key) => (format === 'Always_GS1_Digital_Link' ? (toDigitalLink(key) ?? key) : key)
  const known = await findKnownPrefixes(app.db, [...new Set(keys.flatMap((key) => companyPrefixCandidates(key) ?? []))])
  const prefixLength = (digits: string) => {
    for (let length = Math.min(12, digits.length); length >= 4; length--) if (known.has(digits.slice(0, length))) return length
    return undefined
  }
  return (key) => {
    try {
      return toEpcUrn(key, prefixLength) ?? key
    } catch {
      return key
    }
  }
}

function registerResource(app: FastifyInstance, resource: Resource, options: QueryRoutesOptions): void {
  const base = `/${resource.name}`
  const item = `${base}/:${resource.param}`
  const params = {
    type: 'object',
    properties: { [resource.param]: { type: 'string', minLength: 1, maxLength: 2048 } },
    required: [resource.param],
  } as const
  registerDiscovery(app, base, ['GET'])
  registerDiscovery(app, item, ['GET'])
  registerDiscovery(app, `${item}/events`, ['GET'])

  app.get(
    base,
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
      schema: {
        summary: `The ${resource.summary} this repository holds events for`,
        description: 'A paged Collection; members after the first page are in the Link rel="next" header.',
        tags: ['Top-level'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: { 200: collectionResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { perPage = options.defaultPerPage, nextPageToken } = request.query as { perPage?: number; nextPageToken?: string }
      const visibility = visibilityScope(request.principal)
      const scope = `resource:${resource.name}:${visibility?.organisationId ?? '*'}`
      const after = nextPageToken === undefined ? '' : verifyCursor(app.pageTokenKey, nextPageToken, scope)
      if (typeof after !== 'string') throw ERRORS.queryParameter('nextPageToken is not a valid page token for this list')
      const keys = await listKeys(app.db, resource.name, after, perPage + 1, visibility)
      const page = keys.slice(0, perPage)
      const more = keys.length > perPage
      setNextPageHeaders(request, reply, options.publicBaseUrl, more ? signCursor(app.pageTokenKey, scope, page.at(-1)) : undefined)
      if (resource.identifiers) {
        const write = await identifierWriter(app, request, page)
        reply.header('GS1-EPC-Format', epcFormatOf(request))
        return { '@context': EPCIS_CONTEXT_URL, type: 'Collection', member: page.map(write) }
      }
      return { '@context': EPCIS_CONTEXT_URL, type: 'Collection', member: page.map(resource.member) }
    },
  )

  app.get(
    item,
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
      schema: {
        summary: `The sub-resources of one of the ${resource.summary}`,
        tags: ['Top-level'],
        params,
        response: { 200: collectionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const value = checkText(resource.param, (request.params as Record<string, string>)[resource.param]!)
      if (!(await keyExists(app.db, resource.name, resource.key(value), visibilityScope(request.principal)))) {
        throw ERRORS.noSuchResource(`No events with ${resource.param} ${value}`)
      }
      return { '@context': EPCIS_CONTEXT_URL, type: 'Collection', member: ['events'] }
    },
  )

  app.get(
    `${item}/events`,
    {
      config: { auth: READ_EVENTS, workClass: 'query', documentedQuery: documentedQueryString },
      schema: {
        summary: `Events of one of the ${resource.summary}, with any further query parameters`,
        description:
          `The events whose ${resource.param} is the one in the path (a MATCH_anyEPC for /epcs), filtered further by any ` +
          'EPCIS query parameter of GET /events; paged like GET /events.',
        tags: ['Events'],
        params,
        response: { 200: queryDocumentResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const value = checkText(resource.param, (request.params as Record<string, string>)[resource.param]!)
      const page = await queryEvents(
        app.db,
        app.pageTokenKey,
        {
          params: requestParams(request),
          declared: declaredNamespaces(request),
          base: [resource.filter(value)],
          scope: `${resource.name}/events`,
          visibility: visibilityScope(request.principal),
        },
        querySettings(options),
      )
      return sendEventPage(app, request, reply, page, options.publicBaseUrl)
    },
  )
}

/** /eventTypes, /epcs, /bizSteps, /bizLocations, /readPoints and /dispositions, each with /{id} and /{id}/events. */
const routes: FastifyPluginAsync<QueryRoutesOptions> = async (app, options) => {
  for (const resource of Object.values(RESOURCES)) registerResource(app, resource, options)
}

export default routes
