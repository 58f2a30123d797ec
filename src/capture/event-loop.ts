import { setImmediate } from 'node:timers/promises'

/**
 * A function to call between items of a long synchronous run (checking, indexing the events of a large
 * document): it lets the event loop turn once `sliceMs` have passed since the last turn, so that other
 * requests (health probes, queries) wait at most about that long behind a capture.
 */
export function turnTaker(sliceMs = 20): () => Promise<void> | undefined {
  let since = performance.now()
  return () => {
    if (performance.now() - since < sliceMs) return undefined
    return setImmediate().then(() => {
      since = performance.now()
    })
  }
}
