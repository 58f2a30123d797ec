import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import type { Config } from '../../src/config.js'
import { createTestDatabase } from '../db.js'
import { buildTestApp, testConfig } from '../helper.js'
import { FAST } from '../subscriptions/helpers.js'

/** A fixed federation key for tests (never DATA_DIR/federation.key in the project folder). */
export const TEST_FEDERATION_KEY = '6e67756f6e2d746573742d666564657261746f6e2d6b65792d3031323334353637'.slice(0, 64)

/** Quick deliveries to loopback peers, a fixed federation key. */
export const FEDERATION: Partial<Config> = { ...FAST, FEDERATION_KEY: TEST_FEDERATION_KEY }

export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 })
}

export async function createPeer(app: FastifyInstance, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await app.inject({ method: 'POST', url: '/admin/peers', payload: body })
  if (response.statusCode !== 201) throw new Error(`POST /admin/peers answered ${response.statusCode}: ${response.body}`)
  return response.json()
}

export interface PeerView {
  id: string
  state: { status: string; eventsSent: number; eventsReceived: number; lastError: string | null; failingSince: string | null; lagMs: number | null; cursor: { recordTime: string | null } }
  [key: string]: unknown
}

export async function peerOf(app: FastifyInstance, id: string): Promise<PeerView> {
  const response = await app.inject({ method: 'GET', url: `/admin/peers/${id}` })
  if (response.statusCode !== 200) throw new Error(`GET /admin/peers/${id} answered ${response.statusCode}: ${response.body}`)
  return response.json()
}

/** The eventIDs an app stores, sorted. */
export async function storedEventIds(app: FastifyInstance): Promise<string[]> {
  const rows = await app.db.selectFrom('event').select('event_id').orderBy('event_id').execute()
  return rows.map((r) => r.event_id)
}

export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * A peer repository listening on loopback that accepts captures but stores nothing until a worker of its comes
 * (CAPTURE_WORKER_CONCURRENCY 0): `startWorker` starts an instance on its database that runs the queued jobs.
 */
export async function peerWithoutWorkers(t: Test): Promise<{ peer: FastifyInstance; peerUrl: string; startWorker(): Promise<void> }> {
  const peerDatabase = await createTestDatabase()
  const peer = await buildTestApp({ config: { ...testConfig({ ...FEDERATION, CAPTURE_WORKER_CONCURRENCY: 0 }), DATABASE_URL: peerDatabase.url } })
  const peerUrl = await peer.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(async () => {
    await peer.close()
    await peerDatabase.drop()
  })
  const startWorker = async () => {
    const worker = await buildTestApp({ config: { ...testConfig({ ...FEDERATION }), DATABASE_URL: peerDatabase.url } })
    await worker.ready()
    t.teardown(() => worker.close())
  }
  return { peer, peerUrl, startWorker }
}
