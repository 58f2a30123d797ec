import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { ERRORS } from '../errors.js'
import { publicUrl } from '../http/public-url.js'
import { pagingQuerystring, problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import type { Credentials } from './credentials.js'
import { createPeer, getPeer, peerPage, peerView, removePeer, replacePeer, type PeerDeps } from './service.js'

export interface PeerRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
  deps: () => PeerDeps
}

const ADMIN = { auth: { roles: ['admin' as const] } }

const credentialsSchema = {
  description: 'How this repository authenticates at the peer; stored encrypted, never answered.',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['bearer'],
      properties: { bearer: { type: 'string', minLength: 1, maxLength: 4096 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['tokenUrl', 'clientId', 'clientSecret'],
      properties: {
        tokenUrl: { type: 'string', pattern: '^https?://', maxLength: 2048 },
        clientId: { type: 'string', minLength: 1, maxLength: 1024 },
        clientSecret: { type: 'string', minLength: 1, maxLength: 4096 },
        scope: { type: 'string', maxLength: 1024 },
      },
    },
  ],
} as const

const bodyProperties = {
  id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
  name: { type: 'string', minLength: 1, maxLength: 500 },
  baseUrl: { type: 'string', pattern: '^https?://', maxLength: 2000, description: "The peer's EPCIS root (POST <baseUrl>/capture, GET <baseUrl>/events)" },
  direction: { type: 'string', enum: ['push', 'pull'], description: 'push: send our events there; pull: fetch its events here' },
  credentials: credentialsSchema,
  query: { type: 'object', description: "EPCIS query parameters selecting the events pushed or pulled, as a named query's query" },
  initialRecordTime: { type: 'string', format: 'date-time', description: 'Events recorded from this time on (default: from now); at creation only' },
  pullIntervalSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: 60, description: 'Pull: how often the peer is asked for new events' },
  sendEverything: { type: 'boolean', default: false, description: 'Send every matching event whatever its publication state' },
} as const

const peerSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    baseUrl: { type: 'string' },
    direction: { type: 'string' },
    credentials: { type: 'object', properties: { kind: { type: 'string', enum: ['bearer', 'oauth2'] } } },
    query: { type: 'object', additionalProperties: true },
    initialRecordTime: { type: 'string', format: 'date-time' },
    pullIntervalSeconds: { type: 'integer' },
    sendEverything: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    state: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['new', 'ok', 'failing'] },
        cursor: { type: 'object', properties: { recordTime: { type: ['string', 'null'] }, position: { type: 'string' } } },
        eventsSent: { type: 'integer' },
        eventsReceived: { type: 'integer' },
        lagMs: { type: ['integer', 'null'], description: 'Push: since the record time of the oldest event not yet delivered (0: none waits)' },
        oldestPendingRecordTime: { type: 'string', format: 'date-time' },
        lastSuccessAt: { type: ['string', 'null'], format: 'date-time' },
        lastError: { type: ['string', 'null'], description: "The peer's problem or the failure of the last attempt" },
        failingSince: { type: ['string', 'null'], format: 'date-time' },
        nextPullAt: { type: ['string', 'null'], format: 'date-time' },
        subscriptionID: { type: ['string', 'null'] },
      },
    },
  },
  required: ['id', 'name', 'baseUrl', 'direction', 'state'],
} as const

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] } as const

/** Peer repositories this one pushes to or pulls from (role admin). */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: PeerRoutesOptions }> = async (app, options) => {
  app.post(
    '/admin/peers',
    {
      config: ADMIN,
      schema: {
        summary: 'Connect a peer repository: push our events to it, or pull its events here',
        description:
          "credentials: {\"bearer\": token} or OAuth 2.0 client credentials {tokenUrl, clientId, clientSecret, scope}; they are " +
          'stored encrypted (AES-256-GCM, key FEDERATION_KEY or DATA_DIR/federation.key) and never answered or logged.',
        tags: ['Federation'],
        body: { type: 'object', additionalProperties: false, required: ['id', 'name', 'baseUrl', 'direction', 'credentials'], properties: bodyProperties },
        response: { 201: peerSchema, 409: { $ref: 'problem#' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await createPeer(options.deps(), request.body as Parameters<typeof createPeer>[1])
      app.deliveryEngine.signal()
      app.pullScheduler?.wake()
      reply.header('Location', publicUrl(options.publicBaseUrl, `/admin/peers/${row.id}`))
      return reply.code(201).send(await peerView(app.db, row))
    },
  )

  app.get(
    '/admin/peers',
    {
      config: ADMIN,
      schema: {
        summary: 'List peers with their state, by id',
        tags: ['Federation'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: { 200: { type: 'array', items: peerSchema }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const perPage = request.query.perPage ?? options.defaultPerPage
      const token = request.query.nextPageToken
      const after = token === undefined ? undefined : verifyCursor(app.pageTokenKey, token, 'peers')
      if (after !== undefined && typeof after !== 'string') throw ERRORS.queryParameter('nextPageToken is not valid for this list')
      const rows = await peerPage(app.db, perPage + 1, after)
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) {
        const next = signCursor(app.pageTokenKey, 'peers', page.at(-1)!.id)
        reply.header('Link', `<${publicUrl(options.publicBaseUrl, `/admin/peers?perPage=${perPage}&nextPageToken=${next}`)}>; rel="next"`)
      }
      return Promise.all(page.map((row) => peerView(app.db, row)))
    },
  )

  app.get(
    '/admin/peers/:id',
    {
      config: ADMIN,
      schema: {
        summary: 'One peer (without its credentials) and its state: cursor, events sent or received, lag, last success, last error',
        tags: ['Federation'],
        params: idParams,
        response: { 200: peerSchema, ...problemResponses },
      },
    },
    async (request) => peerView(app.db, await getPeer(app.db, request.params.id)),
  )

  app.put(
    '/admin/peers/:id',
    {
      config: ADMIN,
      schema: {
        summary: 'Change a peer (its cursor and counters stay; credentials left out are kept)',
        tags: ['Federation'],
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['name', 'baseUrl', 'direction'], properties: bodyProperties },
        response: { 200: peerSchema, ...problemResponses },
      },
    },
    async (request) => {
      const row = await replacePeer(options.deps(), request.params.id, request.body as { name: string; baseUrl: string; direction: 'push' | 'pull'; credentials?: Credentials })
      app.deliveryEngine.signal()
      app.pullScheduler?.wake()
      return peerView(app.db, row)
    },
  )

  app.delete(
    '/admin/peers/:id',
    {
      config: ADMIN,
      schema: {
        summary: 'Disconnect a peer (its push subscription ends; nothing already sent or received is removed)',
        tags: ['Federation'],
        params: idParams,
        response: { 204: { description: 'Deleted' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      await removePeer(app.db, request.params.id)
      return reply.code(204).send()
    },
  )
}

export default routes
