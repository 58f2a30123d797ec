import type { FastifyRateLimitStore } from '@fastify/rate-limit'

/** Most buckets kept; beyond, ended windows go first, then the oldest. */
const MAX_BUCKETS = 100_000

/**
 * Fixed-window counters in memory, answering each request with its own count. @fastify/rate-limit's
 * LocalStore answers with its live bucket object, which later requests of a concurrent burst increment
 * before the first is judged: a burst one request over the limit was refused whole.
 */
export class WindowStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, { count: number; startMs: number }>()

  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
    const now = Date.now()
    let window = this.windows.get(key)
    if (!window || window.startMs + timeWindow <= now) {
      window = { count: 0, startMs: now }
      this.windows.delete(key)
      if (this.windows.size >= MAX_BUCKETS) this.trim(now, timeWindow)
      this.windows.set(key, window)
    }
    window.count += 1
    callback(null, { current: window.count, ttl: window.startMs + timeWindow - now })
  }

  child(): FastifyRateLimitStore {
    return new WindowStore()
  }

  private trim(now: number, timeWindow: number): void {
    for (const [key, window] of this.windows) if (window.startMs + timeWindow <= now) this.windows.delete(key)
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_BUCKETS) break
      this.windows.delete(key)
    }
  }
}
