/** HTTP pieces shared by the query routes: parameters in, paging headers and event documents out. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendEventDocument } from '../http/event-response.js'
import { publicUrl } from '../http/public-url.js'
import { parseExtensionsHeader } from './namespaces.js'
import { tokenExpiry } from './page-token.js'
import { paramsFromQueryString, type RawParams } from './params.js'
import type { EventPage } from './service.js'

export interface QueryRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
  /** QUERY_MAX_COST: queries whose plan costs more get 413 QueryTooComplexException. */
  maxCost?: number
}

/** The default of QUERY_MAX_COST (src/config.ts): about a sequential scan of a million events. */
export const DEFAULT_QUERY_MAX_COST = 1_000_000

export function querySettings(options: QueryRoutesOptions) {
  return {
    defaultPerPage: options.defaultPerPage,
    maxPerPage: options.maxPerPage,
    maxCost: options.maxCost ?? DEFAULT_QUERY_MAX_COST,
  }
}

export function requestParams(request: FastifyRequest): RawParams {
  return paramsFromQueryString(request.query as Record<string, string | string[] | undefined>)
}

/** Namespace prefixes declared by the GS1-Extensions request header. */
export function declaredNamespaces(request: FastifyRequest): Record<string, string> {
  return parseExtensionsHeader(request.headers['gs1-extensions'])
}

/**
 * Link rel="next" (the request's own URL with the next token) and GS1-Next-Page-Token-Expires,
 * when there is a next page.
 */
export function setNextPageHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  baseUrl: string | undefined,
  token: string | undefined,
): void {
  if (!token) return
  const [path, search] = request.url.split('?') as [string, string | undefined]
  const params = new URLSearchParams(search ?? '')
  params.delete('nextPageToken')
  params.set('nextPageToken', token)
  reply.header('Link', `<${publicUrl(baseUrl, `${path}?${params}`)}>; rel="next"`)
  reply.header('GS1-Next-Page-Token-Expires', tokenExpiry(token)?.toISOString())
}

/** Answers a page of events as an EPCISQueryDocument with its paging headers. */
export function sendEventPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  page: EventPage,
  baseUrl: string | undefined,
  queryName?: string,
  decorate?: (document: Record<string, unknown>) => Record<string, unknown>,
): Promise<FastifyReply> {
  setNextPageHeaders(request, reply, baseUrl, page.nextPageToken)
  return sendEventDocument(app, request, reply, page.rows, queryName, decorate)
}

/** The OpenAPI `Collection` shape of the top-level resource lists (EPCIS 2.0 REST binding). */
export const collectionResponse = {
  description: 'A JSON-LD Collection; more members are in the Link rel="next" header',
  type: 'object',
  properties: {
    '@context': { type: 'string' },
    type: { type: 'string', enum: ['Collection'] },
    member: { type: 'array', items: { type: 'string' } },
  },
  required: ['@context', 'type', 'member'],
} as const

export const queryDocumentResponse = {
  description: 'An EPCISQueryDocument (JSON-LD, or XML when asked for) holding the matching events',
  type: 'object',
  additionalProperties: true,
} as const
