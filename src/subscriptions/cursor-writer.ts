/**
 * Cursor moves of deliveries that end within a few milliseconds of each other go to PostgreSQL as one
 * statement: a hundred subscriptions taking their batches one after the other would otherwise each cost
 * a statement (and a commit) of their own. A move is written before its delivery goes on, as before; it
 * only waits up to COALESCE_MS for others to join it.
 */
import type { Db } from '../db/database.js'
import { recordDeliveries, type CursorMove } from './repository.js'

const COALESCE_MS = 3
/** The most moves one statement carries. */
const MAX_MOVES = 500

interface Waiting {
  move: CursorMove
  resolve(moved: boolean): void
  reject(error: unknown): void
}

export class CursorWriter {
  private waiting: Waiting[] = []
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly db: Db) {}

  /** Whether the cursor moved (false: the lease was lost or another instance moved it). */
  record(move: CursorMove): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ move, resolve, reject })
      if (this.waiting.length >= MAX_MOVES) this.flush()
      else this.timer ??= setTimeout(() => this.flush(), COALESCE_MS)
    })
  }

  private flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.waiting
    this.waiting = []
    Promise.resolve()
      .then(() => recordDeliveries(this.db, batch.map((w) => w.move)))
      .then(
        (moved) => {
          for (const w of batch) w.resolve(moved.has(w.move.id))
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error)
        },
      )
  }
}
