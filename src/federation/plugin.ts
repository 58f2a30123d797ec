import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import fp from 'fastify-plugin'
import type { CaptureLimits } from '../capture/limits.js'
import { parseDestinationPolicy } from '../subscriptions/destination-guard.js'
import type { SenderSettings } from '../subscriptions/webhook-sender.js'
import { federationKeySource, type KeySource } from './key.js'
import { PeerAuthorisation } from './peer-auth.js'
import { PullScheduler } from './puller.js'
import { PeerPushSender } from './push-sender.js'
import { makePeersDueForDecisions } from './repository.js'
import { PEER_DESTINATION } from './service.js'

/**
 * How often a push peer that was delivering when a decision published events is looked at again (the decision
 * itself makes the peers at rest due; a delivery under way may have read the decisions before it).
 */
const DECISION_POLL_MS = 10_000

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's pulls from peers (src/federation/puller.ts). */
    pullScheduler: PullScheduler
    /** The federation key (peers' credentials), created on first use. */
    federationKey: KeySource
  }
}

export interface FederationPluginOptions {
  federationKey: string | undefined
  dataDir: string
  repositoryId: string
  destinations: string
  connectTimeoutMs: number
  totalTimeoutMs: number
  leaseMs: number
  pullOverlapMs: number
  pullConcurrency: number
  captureLimit: number
  captureFileSizeLimit: number
  limits: CaptureLimits
}

/** Push (a destination of the delivery engine) and pull (a scheduler of its own) to and from peer repositories. */
export default fp<FederationPluginOptions>(
  async (app, options) => {
    const keySource = federationKeySource({ configured: options.federationKey, dataDir: options.dataDir })
    const sender: SenderSettings = {
      policy: parseDestinationPolicy(options.destinations),
      connectTimeoutMs: options.connectTimeoutMs,
      totalTimeoutMs: options.totalTimeoutMs,
    }
    const auth = new PeerAuthorisation(sender)
    app.decorate('federationKey', keySource)
    app.deliveryEngine.registerDestination(
      PEER_DESTINATION,
      new PeerPushSender(app.db, keySource, auth, { sender, repositoryId: options.repositoryId, deliveryDeadlineMs: Math.floor(options.leaseMs / 2) }, app.log),
    )
    const scheduler = new PullScheduler(
      app.db,
      keySource,
      auth,
      {
        instanceId: `${hostname()}:${process.pid}:${randomUUID()}`,
        sender,
        overlapMs: options.pullOverlapMs,
        leaseMs: options.leaseMs,
        perPage: Math.min(options.captureLimit, 500),
        maxPageBytes: options.captureFileSizeLimit,
        concurrency: options.pullConcurrency,
        capture: { db: app.db, pool: app.pool, queue: app.queue, captureLimit: options.captureLimit, limits: options.limits, wake: () => app.wakeCaptureWorkers() },
      },
      app.log,
    )
    app.decorate('pullScheduler', scheduler)
    let decisionPoll: NodeJS.Timeout | undefined
    app.addHook('onReady', async () => {
      if (options.pullConcurrency > 0) scheduler.start()
      decisionPoll = setInterval(() => {
        makePeersDueForDecisions(app.db).then(
          (due) => due && app.deliveryEngine.signal(),
          (err: unknown) => app.log.warn({ err }, 'looking for push peers behind a decision failed; the next poll tries again'),
        )
      }, DECISION_POLL_MS)
      decisionPoll.unref()
    })
    app.addHook('preClose', async () => {
      clearInterval(decisionPoll)
      await scheduler.stop()
    })
  },
  { name: 'federation', dependencies: ['database', 'subscriptions'] },
)
