/**
 * The memory a delivery's pieces are joined into before they go to the socket, used again by later deliveries.
 *
 * Writing a delivery's pieces one by one costs the HTTP and stream layers a few objects each: for a thousand events,
 * thousands of short-lived objects per delivery, which was a fifth of what delivering allocated. A fresh buffer for the
 * joined body is not better: a delivery of hundreds of kilobytes in new memory each time touches every page anew.
 * So the pieces are copied (cheap) into a buffer that was already used, and the buffer is given back once the request
 * is closed (no write of it can still be pending then).
 */

/** A body larger than this is joined into memory of its own, which is not kept. */
const MAX_KEPT_BYTES = 4 * 1024 * 1024
/** At most this many buffers are kept (about as many as deliveries run at once). */
const MAX_KEPT_BUFFERS = 32
/** Buffers are taken in steps of this size, so that one serves bodies of many sizes. */
const STEP = 256 * 1024

const kept: Buffer[] = []

export interface JoinedBody {
  body: Buffer
  /** Gives the memory back: call once no write of `body` can be pending (the request closed). */
  release(): void
}

export function joinPieces(pieces: readonly Buffer[], length: number): JoinedBody {
  const memory = take(length)
  let at = 0
  for (const piece of pieces) at += piece.copy(memory, at)
  let released = false
  return {
    body: memory.subarray(0, length),
    release: () => {
      if (released) return
      released = true
      give(memory)
    },
  }
}

function take(length: number): Buffer {
  if (length > MAX_KEPT_BYTES) return Buffer.allocUnsafeSlow(length)
  let best = -1
  for (let i = 0; i < kept.length; i++) {
    if (kept[i]!.length >= length && (best < 0 || kept[i]!.length < kept[best]!.length)) best = i
  }
  if (best >= 0) return kept.splice(best, 1)[0]!
  return Buffer.allocUnsafeSlow(Math.ceil(Math.max(length, 1) / STEP) * STEP)
}

function give(memory: Buffer): void {
  if (memory.length > MAX_KEPT_BYTES) return
  if (kept.length >= MAX_KEPT_BUFFERS) {
    // Keep the larger ones: they serve every body the smaller ones could.
    let smallest = 0
    for (let i = 1; i < kept.length; i++) if (kept[i]!.length < kept[smallest]!.length) smallest = i
    if (kept[smallest]!.length >= memory.length) return
    kept.splice(smallest, 1)
  }
  kept.push(memory)
}
