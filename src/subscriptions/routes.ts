import type { FastifyPluginAsync } from 'fastify'
import { ERRORS } from '../errors.js'
import { registerDiscovery } from '../http/discovery.js'
import { cbvXmlFormatOf, epcFormatOf } from '../http/event-response.js'
import { publicUrl } from '../http/public-url.js'
import { problemResponses } from '../http/shared-schemas.js'
import { setNextPageHeaders } from '../query/http.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { READ_EVENTS } from '../security/route-rules.js'
import { issueWebsocketTicket } from '../security/websocket-ticket.js'
import type { DestinationPolicy } from './destination-guard.js'
import { listSubscriptions } from './repository.js'
import { SCHEDULE_FIELDS } from './schedule.js'
import {
  checkSubscriptionBody,
  createSubscription,
  getSubscription,
  ownerFilter,
  removeSubscription,
  subscriptionView,
} from './service.js'

export interface SubscriptionRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
  destinations: DestinationPolicy
  failingAfterMs: number
}

const queryName = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._~-]+$' } as const
const scheduleField = { type: 'string', description: 'Comma-separated numbers and [low-high] ranges, e.g. "0,[15-20]"' } as const
const schedule = {
  type: 'object',
  description: 'When to deliver (UTC); an omitted field matches every value; dayOfWeek 1 is Monday',
  properties: Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, scheduleField])),
} as const

const subscriptionBody = {
  type: 'object',
  description:
    'dest (required), an optional signatureToken (signs every delivery: GS1-Signature), and either stream: true or a schedule ' +
    '(with reportIfEmpty); initialRecordTime in the past delivers the matching history first (default: now). ' +
    'Any malformed field: 400 SubscriptionControlsException naming it.',
  properties: {
    dest: { type: 'string', description: 'The callback URL (http or https)' },
    signatureToken: { type: 'string', description: 'Shared secret for the HMAC-SHA256 GS1-Signature of each delivery; never answered' },
    stream: { type: 'boolean' },
    schedule,
    reportIfEmpty: { type: 'boolean' },
    initialRecordTime: { type: 'string', format: 'date-time' },
  },
} as const

const subscriptionResponse = {
  type: 'object',
  properties: {
    subscriptionID: { type: 'string' },
    queryName: { type: 'string' },
    dest: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    initialRecordTime: { type: 'string', format: 'date-time' },
    minRecordTime: { type: 'string', format: 'date-time', description: 'The record time of the last event the receiver took' },
    lastNotifiedAt: { type: 'string', format: 'date-time', description: 'The last time the receiver answered 2xx' },
    stream: { type: 'boolean' },
    schedule,
    reportIfEmpty: { type: 'boolean' },
    epcFormat: { type: 'string' },
    cbvXmlFormat: { type: 'string' },
    status: { type: 'string', enum: ['active', 'failing'], description: 'failing: deliveries have failed for SUBSCRIPTION_FAILING_AFTER_MS' },
    lastError: { type: 'string' },
    failingSince: { type: 'string', format: 'date-time' },
  },
  required: ['subscriptionID', 'queryName', 'dest', 'createdAt', 'minRecordTime', 'status'],
} as const

const nameParams = { type: 'object', properties: { queryName }, required: ['queryName'] } as const
const oneParams = {
  type: 'object',
  properties: { queryName, subscriptionID: { type: 'string', maxLength: 100 } },
  required: ['queryName', 'subscriptionID'],
} as const

const bodiesAsSent = new WeakMap<object, unknown>()

const routes: FastifyPluginAsync<SubscriptionRoutesOptions> = async (app, options) => {
  registerDiscovery(app, '/queries/:queryName/subscriptions', ['GET', 'POST'])
  registerDiscovery(app, '/queries/:queryName/subscriptions/:subscriptionID', ['GET', 'DELETE'])
  registerDiscovery(app, '/websocket-tickets', ['POST'])
  const view = (row: Parameters<typeof subscriptionView>[0]) => subscriptionView(row, options.failingAfterMs)

  app.post(
    '/queries/:queryName/subscriptions',
    {
      config: { auth: READ_EVENTS },
      // Every bad body is answered by the service as SubscriptionControlsException naming the field; the
      // schema documents the body, and the body as sent (before ajv coerces types) is what is checked.
      attachValidation: true,
      preValidation: async (request) => {
        bodiesAsSent.set(request, structuredClone(request.body))
      },
      schema: {
        summary: 'Subscribe to a named query (webhook)',
        description:
          'Delivers the matching events the caller may see to dest as EPCISQueryDocuments (POST, signed with the signatureToken). ' +
          'GS1-EPC-Format and GS1-CBV-XML-Format choose how delivered events are written.',
        tags: ['Subscriptions'],
        params: nameParams,
        body: subscriptionBody,
        response: { 201: { ...subscriptionResponse, description: 'Created; Location names the subscription' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { queryName: name } = request.params as { queryName: string }
      const formats = { epcFormat: epcFormatOf(request), cbvXmlFormat: cbvXmlFormatOf(request) }
      const body = await checkSubscriptionBody(bodiesAsSent.get(request), options.destinations)
      const row = await createSubscription(app.db, name, body, formats, request.principal)
      app.deliveryEngine.signal()
      reply.header('Location', publicUrl(options.publicBaseUrl, `/queries/${encodeURIComponent(name)}/subscriptions/${row.id}`))
      return reply.code(201).send(view(row))
    },
  )

  app.get(
    '/queries/:queryName/subscriptions',
    {
      config: { auth: READ_EVENTS },
      schema: {
        summary: "A named query's subscriptions (the caller's organisation's; an operator's: all)",
        tags: ['Subscriptions'],
        params: nameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            perPage: { type: 'integer', minimum: 1, maximum: options.maxPerPage },
            nextPageToken: { type: 'string', maxLength: 4096 },
          },
        },
        response: { 200: { type: 'array', items: subscriptionResponse }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { queryName: name } = request.params as { queryName: string }
      const { perPage = options.defaultPerPage, nextPageToken } = request.query as { perPage?: number; nextPageToken?: string }
      const scope = `subscriptions/${name}`
      const after = nextPageToken === undefined ? undefined : (verifyCursor(app.pageTokenKey, nextPageToken, scope) as { createdAt: string; id: string } | null)
      if (after === null || (after !== undefined && (typeof after.createdAt !== 'string' || typeof after.id !== 'string'))) {
        throw ERRORS.queryParameter('nextPageToken is not valid here')
      }
      const rows = await listSubscriptions(app.db, name, ownerFilter(request.principal), after, perPage + 1)
      const page = rows.slice(0, perPage)
      const last = page.at(-1)
      const token = rows.length > perPage && last ? signCursor(app.pageTokenKey, scope, { createdAt: last.created_at.toISOString(), id: last.id }) : undefined
      setNextPageHeaders(request, reply, options.publicBaseUrl, token)
      return page.map(view)
    },
  )

  app.get(
    '/queries/:queryName/subscriptions/:subscriptionID',
    {
      config: { auth: READ_EVENTS },
      schema: {
        summary: 'One subscription, with its delivery state (never its signatureToken)',
        tags: ['Subscriptions'],
        params: oneParams,
        response: { 200: subscriptionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { queryName: name, subscriptionID } = request.params as { queryName: string; subscriptionID: string }
      return view(await getSubscription(app.db, name, subscriptionID, request.principal))
    },
  )

  app.delete(
    '/queries/:queryName/subscriptions/:subscriptionID',
    {
      config: { auth: READ_EVENTS },
      schema: {
        summary: 'Unsubscribe',
        tags: ['Subscriptions'],
        params: oneParams,
        response: { 204: { description: 'Unsubscribed', type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { queryName: name, subscriptionID } = request.params as { queryName: string; subscriptionID: string }
      await removeSubscription(app.db, name, subscriptionID, request.principal)
      return reply.code(204).send()
    },
  )

  app.post(
    '/websocket-tickets',
    {
      config: { auth: READ_EVENTS },
      schema: {
        summary: 'A single-use ticket for opening a WebSocket from a browser',
        description:
          'Browsers cannot set Authorization on a WebSocket: open GET /queries/{queryName}/events?stream=true&ticket=... within 60 s instead. ' +
          'The ticket is good for one upgrade, on any instance, with the roles of the credentials that asked for it.',
        tags: ['Subscriptions'],
        response: {
          201: {
            type: 'object',
            properties: { ticket: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
            required: ['ticket', 'expiresAt'],
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { ticket, expiresAt } = await issueWebsocketTicket(app.db, request.principal)
      return reply.code(201).send({ ticket, expiresAt: expiresAt.toISOString() })
    },
  )
}

export default routes
