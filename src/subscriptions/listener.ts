/**
 * A dedicated connection that LISTENs for `nguon_events` (sent by a trigger when a transaction that
 * stored events commits) and calls `onEvents`. When the connection is lost (the database restarted),
 * it connects again with back-off and calls `onEvents` once connected, since notifications sent
 * meanwhile are lost.
 */
import pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'

export const EVENTS_CHANNEL = 'nguon_events'
/** The listening connection's application_name (seen in pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'nguon-subscriptions-listener'

export class EventListener {
  private client: pg.Client | undefined
  private stopped = false
  private retryMs = 100
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly connectionString: string,
    private readonly onEvents: () => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    await this.connect()
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    const client = new pg.Client({ connectionString: this.connectionString, application_name: LISTENER_APPLICATION_NAME })
    client.on('error', (err) => this.lost(client, err))
    client.on('end', () => this.lost(client))
    client.on('notification', () => this.onEvents())
    try {
      await client.connect()
      await client.query(`LISTEN ${EVENTS_CHANNEL}`)
    } catch (err) {
      this.lost(client, err as Error)
      return
    }
    if (this.stopped) {
      await client.end().catch(() => undefined)
      return
    }
    this.client = client
    this.retryMs = 100
    this.onEvents()
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.client !== undefined && this.client !== client) return
    this.client = undefined
    client.removeAllListeners('end')
    client.removeAllListeners('notification')
    client.on('error', () => undefined)
    client.end().catch(() => undefined)
    if (this.stopped || this.timer) return
    this.log.warn({ message: err?.message }, 'subscription listener lost its database connection; reconnecting')
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.connect()
    }, this.retryMs)
    this.retryMs = Math.min(this.retryMs * 2, 5000)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    const client = this.client
    this.client = undefined
    if (client) {
      client.removeAllListeners('end')
      client.on('error', () => undefined)
      await client.end().catch(() => undefined)
    }
  }
}
