import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { FastifyRequest } from 'fastify'
import { registerDiscovery } from '../http/discovery.js'
import { negotiate } from '../http/negotiate.js'
import { problemResponses } from '../http/shared-schemas.js'
import { recallCsv } from './recall-csv.js'
import { lineageQuery, lineageResponse, recallQuery, recallResponse, stateQuery, stateResponse } from './schemas.js'
import { lineage, recall, state } from './service.js'
import { READ_EVENTS } from '../security/route-rules.js'
import { everyEvent, type EventVisibility } from './visibility.js'

export interface TraceabilityRoutesOptions {
  /** The events the caller of a request may see; every event until the security layer supplies its own. */
  visibility?: (request: FastifyRequest) => EventVisibility
}

const tags = ['Traceability']

const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: TraceabilityRoutesOptions }> = async (app, options) => {
  const visibleTo = options.visibility ?? (() => everyEvent)
  const deps = { db: app.db, pool: app.pool }
  for (const path of ['lineage', 'recall', 'state']) registerDiscovery(app, `/traceability/${path}`, ['GET'])

  app.get(
    '/traceability/lineage',
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
      schema: {
        summary: 'Trace an identifier back to its origin and forward to what was made from it',
        description:
          'Walks the stored events from one identifier: transformations (inputs to outputs, also across events ' +
          'sharing a transformationID), lots (a serial whose lot an ILMD lotNumber or a Digital Link states belongs ' +
          'to that lot), aggregations and associations (a child is inside its parent from ADD or OBSERVE until a ' +
          'DELETE of that child or of all children; a container counts only while it held the traced goods, to any ' +
          'nesting depth) and shipments (destinationList). Events declared erroneous are skipped and listed. The walk ' +
          'stops at maxDepth hops or a node limit and then says truncated.',
        tags,
        querystring: lineageQuery,
        response: { 200: lineageResponse, ...problemResponses },
      },
    },
    async (request) => lineage(deps, { ...request.query, visible: visibleTo(request) }),
  )

  app.get(
    '/traceability/recall',
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
      schema: {
        summary: 'Everything made from or shipped with an identifier, where it is now and whom to notify',
        description:
          'The downstream set of the identifier (a contaminated lot, say): every affected item with where it was last ' +
          'seen (its own events and those of the containers it was in while inside), the container it is in, its ' +
          'owning and possessing party; then the distinct business locations where items were last seen and the ' +
          'owning/possessing parties they were shipped to. Accept: text/csv answers the items as CSV.',
        tags,
        querystring: recallQuery,
        produces: ['application/json', 'text/csv'],
        response: {
          200: {
            description: recallResponse.description,
            content: {
              'application/json': { schema: recallResponse },
              'text/csv': { schema: { type: 'string', description: 'One row per affected item, with a header row' } },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const mediaType = negotiate(request, ['application/json', 'text/csv'])
      const answer = await recall(deps, { ...request.query, visible: visibleTo(request) })
      if (mediaType === 'text/csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="recall.csv"')
          .send(recallCsv(answer))
      }
      return reply.type('application/json').send(answer)
    },
  )

  app.get(
    '/traceability/state',
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
      schema: {
        summary: 'The current state of one identifier',
        description:
          'Its last event (its own, or that of a container while it was inside), business location, read point, ' +
          'disposition, persistent dispositions, the containers it is in, and its owning and possessing party; ' +
          'at gives the state at an earlier time.',
        tags,
        querystring: stateQuery,
        response: { 200: stateResponse, ...problemResponses },
      },
    },
    async (request) => state(deps, { ...request.query, visible: visibleTo(request) }),
  )
}

export default routes
