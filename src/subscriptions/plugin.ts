import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import websocket from '@fastify/websocket'
import fp from 'fastify-plugin'
import { WEBSOCKET_ROUTES } from '../security/websocket-ticket.js'
import { parseDestinationPolicy } from './destination-guard.js'
import { DeliveryEngine } from './engine.js'
import { EventListener } from './listener.js'
import { websocketHandler, websocketPreHandler } from './websocket.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's delivery engine (webhooks, WebSockets). */
    deliveryEngine: DeliveryEngine
  }
}

export interface SubscriptionsPluginOptions {
  connectionString: string
  destinations: string
  batchSize: number
  retryMinMs: number
  retryMaxMs: number
  failingAfterMs: number
  connectTimeoutMs: number
  totalTimeoutMs: number
  leaseMs: number
  pollMs: number
  /** Subscriptions this instance delivers at once (0: it delivers none; its WebSockets still work). */
  concurrency: number
}

/** The route that also answers WebSocket subscriptions (src/query/named/routes.ts defines its HTTP form). */
const WEBSOCKET_ROUTE = WEBSOCKET_ROUTES[0]

/**
 * The delivery engine and its LISTEN connection, and the WebSocket form of a named query's events.
 * Registered before the query routes: its onRoute hook gives the named query's GET route a wsHandler
 * before @fastify/websocket's own hook sees the route.
 */
export default fp<SubscriptionsPluginOptions>(
  async (app, options) => {
    const engine = new DeliveryEngine(
      app.db,
      {
        instanceId: `${hostname()}:${process.pid}:${randomUUID()}`,
        batchSize: options.batchSize,
        retryMinMs: options.retryMinMs,
        retryMaxMs: options.retryMaxMs,
        failingAfterMs: options.failingAfterMs,
        leaseMs: options.leaseMs,
        pollMs: options.pollMs,
        concurrency: options.concurrency,
        sender: {
          policy: parseDestinationPolicy(options.destinations),
          connectTimeoutMs: options.connectTimeoutMs,
          totalTimeoutMs: options.totalTimeoutMs,
        },
      },
      app.log,
    )
    app.decorate('deliveryEngine', engine)
    const listener = new EventListener(options.connectionString, () => engine.signal(), app.log)

    const preHandler = websocketPreHandler(app.db)
    const wsHandler = websocketHandler(app.db, engine, options.batchSize)
    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat()
      if (route.url !== WEBSOCKET_ROUTE || !methods.includes('GET')) return
      route.wsHandler = wsHandler
      route.preHandler = [...[route.preHandler ?? []].flat(), preHandler] as typeof route.preHandler
    })
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } })
    // An upgrade refused before @fastify/websocket's own onRequest hook ran (401 from authentication) is not
    // closed by it: without this, the client's connection stays open and keeps the server from closing.
    app.addHook('onResponse', async (request) => {
      if (!(request as { ws?: boolean }).ws && String(request.headers.upgrade ?? '').toLowerCase() === 'websocket') {
        request.raw.socket?.destroy()
      }
    })

    app.addHook('onReady', async () => {
      await listener.start()
      engine.start()
    })
    app.addHook('preClose', async () => {
      await listener.stop()
      await engine.stop()
    })
  },
  { name: 'subscriptions', dependencies: ['database'] },
)
