import type { FastifyInstance } from 'fastify'
import type { Config } from '../../src/config.js'

/** Subscription settings for tests: loopback receivers, short back-off and lease, a quick poll. */
export const FAST: Partial<Config> = {
  SUBSCRIPTION_DESTINATIONS: 'any',
  SUBSCRIPTION_RETRY_MIN_MS: 100,
  SUBSCRIPTION_RETRY_MAX_MS: 400,
  SUBSCRIPTION_CONNECT_TIMEOUT_MS: 500,
  SUBSCRIPTION_TIMEOUT_MS: 1000,
  SUBSCRIPTION_LEASE_MS: 3000,
  SUBSCRIPTION_POLL_MS: 5000,
}

export async function createNamedQuery(app: FastifyInstance, name: string, query: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'POST', url: '/queries', headers, payload: { name, query } })
  if (response.statusCode !== 201) throw new Error(`POST /queries answered ${response.statusCode}: ${response.body}`)
}

export async function subscribe(
  app: FastifyInstance,
  queryName: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ subscriptionID: string; [key: string]: unknown }> {
  const response = await app.inject({ method: 'POST', url: `/queries/${queryName}/subscriptions`, headers, payload: body })
  if (response.statusCode !== 201) throw new Error(`POST subscriptions answered ${response.statusCode}: ${response.body}`)
  return response.json()
}
