import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { registerDiscovery } from '../http/discovery.js'
import { sendEventDocument } from '../http/event-response.js'
import { problemResponses } from '../http/shared-schemas.js'
import {
  declaredNamespaces,
  queryDocumentResponse,
  querySettings,
  requestParams,
  sendEventPage,
  type QueryRoutesOptions,
} from './http.js'
import namedQueryRoutes from './named/routes.js'
import { documentedQueryString } from './param-docs.js'
import { checkText } from './param-values.js'
import resourceRoutes from './resource-routes.js'
import { READ_EVENTS } from '../security/route-rules.js'
import { visibilityScope } from '../security/visibility.js'
import { eventsWithId, queryEvents } from './service.js'
import { shownProvenance, showsProvenance } from '../federation/shown-provenance.js'

export type { QueryRoutesOptions } from './http.js'

/** The EPCIS 2.0 query interface: GET /events, the top-level resources and named queries. */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: QueryRoutesOptions }> = async (app, options) => {
  registerDiscovery(app, '/events', ['GET', 'POST'])
  registerDiscovery(app, '/events/:eventID', ['GET'])

  app.get(
    '/events',
    {
      config: { auth: READ_EVENTS, workClass: 'query', documentedQuery: documentedQueryString },
      schema: {
        summary: 'Query events (EPCIS 2.0 SimpleEventQuery)',
        description:
          'Answers an EPCISQueryDocument with the events matching every parameter (several values of one parameter: any ' +
          'of them). Unknown or malformed parameters get 400 QueryParameterException naming the parameter; a query too ' +
          'costly to run without a selective index gets 413 QueryTooComplexException; more events than maxEventCount ' +
          'get 413 QueryTooLargeException. The next page is in the Link rel="next" header (keyset paging: stable while ' +
          'events are captured). Namespace prefixes in parameter names are declared in the GS1-Extensions header. ' +
          'For auditors and authorities the JSON-LD answer also lists where each event came from (nguon:provenance).',
        tags: ['Events'],
        response: { 200: queryDocumentResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const page = await queryEvents(
        app.db,
        app.pageTokenKey,
        {
          params: requestParams(request),
          declared: declaredNamespaces(request),
          scope: 'events',
          visibility: visibilityScope(request.principal),
        },
        querySettings(options),
      )
      // Auditors and authorities also read where each event came from (a pulling repository keeps it).
      const shown = showsProvenance(request.principal) ? await shownProvenance(app.db, page.rows, options.publicBaseUrl) : undefined
      return sendEventPage(app, request, reply, page, options.publicBaseUrl, undefined, shown)
    },
  )

  app.get(
    '/events/:eventID',
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
      schema: {
        summary: 'One event by its eventID, with any error declarations about it',
        description:
          'For auditors and authorities the JSON-LD answer also has a nguon:provenance member: who delivered the event ' +
          '(sourceApiKey, sourcePeer), the organisation and repository that first captured it and its recordTime there.',
        tags: ['Events'],
        params: { type: 'object', properties: { eventID: { type: 'string', maxLength: 2048 } }, required: ['eventID'] },
        response: { 200: queryDocumentResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const rows = await eventsWithId(app.db, checkText('eventID', request.params.eventID), visibilityScope(request.principal))
      const shown = showsProvenance(request.principal) ? await shownProvenance(app.db, rows, options.publicBaseUrl) : undefined
      return sendEventDocument(app, request, reply, rows, undefined, shown)
    },
  )

  await app.register(resourceRoutes, options)
  await app.register(namedQueryRoutes, options)
}

export default routes
