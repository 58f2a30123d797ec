import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { registerDiscovery } from '../http/discovery.js'
import { sendEventDocument } from '../http/event-response.js'
import { publicUrl } from '../http/public-url.js'
import { problemResponses } from '../http/shared-schemas.js'
import { tokenExpiry } from './page-token.js'
import { queryParameterDocs } from './param-docs.js'
import type { RawQuery } from './params.js'
import { eventsWithId, queryEvents } from './service.js'

export interface QueryRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

const queryDocumentResponse = {
  description: 'An EPCISQueryDocument (JSON-LD) holding the matching events',
  type: 'object',
  additionalProperties: true,
} as const

const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: QueryRoutesOptions }> = async (app, options) => {
  registerDiscovery(app, '/events', ['GET', 'POST'])
  registerDiscovery(app, '/events/:eventID', ['GET'])

  const querystring = {
    type: 'object',
    additionalProperties: true,
    properties: Object.fromEntries(
      Object.entries(queryParameterDocs).map(([name, description]) => [name, { type: 'string', description }]),
    ),
  }

  app.get(
    '/events',
    {
      config: { documentedQuery: querystring },
      schema: {
        summary: 'Query events (EPCIS 2.0 SimpleEventQuery)',
        description:
          'Answers an EPCISQueryDocument with the events matching every parameter. Unknown or malformed parameters get ' +
          '400 QueryParameterException. The next page is in the Link rel="next" header.',
        tags: ['Events'],
        response: { 200: queryDocumentResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const page = await queryEvents(app.db, app.pageTokenKey, request.query as RawQuery, options)
      if (page.nextPageToken) {
        const params = new URLSearchParams()
        for (const [name, value] of Object.entries(request.query as RawQuery)) {
          if (name === 'nextPageToken' || value === undefined) continue
          for (const v of Array.isArray(value) ? value : [value]) params.append(name, v)
        }
        params.set('nextPageToken', page.nextPageToken)
        reply.header('Link', `<${publicUrl(options.publicBaseUrl, `/events?${params}`)}>; rel="next"`)
        reply.header('GS1-Next-Page-Token-Expires', tokenExpiry(page.nextPageToken)?.toISOString())
      }
      return sendEventDocument(app, request, reply, page.rows)
    },
  )

  app.get(
    '/events/:eventID',
    {
      schema: {
        summary: 'One event by its eventID, with any error declarations about it',
        tags: ['Events'],
        params: { type: 'object', properties: { eventID: { type: 'string', maxLength: 2048 } }, required: ['eventID'] },
        response: { 200: queryDocumentResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const rows = await eventsWithId(app.db, request.params.eventID)
      return sendEventDocument(app, request, reply, rows)
    },
  )
}

export default routes
