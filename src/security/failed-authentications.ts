/**
 * Failed authentications (401 and 403 answers) per client address, counted in fixed windows. Beyond
 * `max` failures in a window the address is refused before its credentials are looked up, so that
 * guessing keys costs the database nothing. Per instance, in memory.
 */
export class FailedAuthentications {
  private readonly windows = new Map<string, { count: number; endsAt: number }>()

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until this address may try again; 0 when it may try now. */
  retryAfter(address: string, now = Date.now()): number {
    if (this.max === 0) return 0
    const window = this.windows.get(address)
    if (!window || window.endsAt <= now || window.count < this.max) return 0
    return Math.ceil((window.endsAt - now) / 1000)
  }

  record(address: string, now = Date.now()): void {
    if (this.max === 0) return
    const window = this.windows.get(address)
    if (window && window.endsAt > now) {
      window.count += 1
      return
    }
    if (this.windows.size >= 100_000) this.forgetEnded(now)
    this.windows.set(address, { count: 1, endsAt: now + this.windowMs })
  }

  private forgetEnded(now: number): void {
    for (const [address, window] of this.windows) if (window.endsAt <= now) this.windows.delete(address)
  }
}
