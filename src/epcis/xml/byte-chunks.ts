import { setImmediate } from 'node:timers/promises'

/** Small enough that each decoded chunk is an ordinary heap string (Node makes larger ones external). */
const CHUNK_BYTES = 512 * 1024

/**
 * A document held in memory as a stream of slices (views, not copies), decoded and parsed one at a time.
 * Between slices the event loop runs: other requests, and the XSD worker's answers, are not held up
 * for the whole of a large document.
 */
export async function* byteChunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.byteLength; start += CHUNK_BYTES) {
    if (start > 0) await setImmediate()
    yield bytes.subarray(start, start + CHUNK_BYTES)
  }
}
