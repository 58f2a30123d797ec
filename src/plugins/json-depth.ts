import { Readable } from 'node:stream'
import fp from 'fastify-plugin'
import { ERRORS } from '../errors.js'
import { isExactNumber } from '../epcis/exact-number.js'
import { turnTaker } from '../capture/event-loop.js'

export interface JsonDepthOptions {
  maxDepth: number
}

/** The nesting depth of a parsed JSON value, without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  const walk = depthWalk(value, limit)
  for (;;) {
    const step = walk.next()
    if (step.done) return step.value
  }
}

/** jsonDepth, letting the event loop turn every 20 ms of walking: a body of tens of megabytes takes a while. */
export async function jsonDepthYielding(value: unknown, limit: number): Promise<number> {
  const turn = turnTaker()
  const walk = depthWalk(value, limit)
  for (;;) {
    const step = walk.next()
    if (step.done) return step.value
    await turn()
  }
}

/** The walk of jsonDepth, pausing (yielding nothing) every 1,024 values, returning the depth. */
function* depthWalk(value: unknown, limit: number): Generator<undefined, number> {
  let deepest = 0
  const stack: Array<[unknown, number]> = [[value, 1]]
  let visited = 0
  while (stack.length > 0) {
    if (++visited % 1024 === 0) yield undefined
    const [node, depth] = stack.pop()!
    if (node === null || typeof node !== 'object' || isExactNumber(node)) continue
    if (depth > deepest) deepest = depth
    if (deepest > limit) return deepest
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object' && !isExactNumber(child)) stack.push([child, depth + 1])
    }
  }
  return deepest
}

/**
 * Refuses JSON bodies nested deeper than `maxDepth` before any route walks them: the document walkers,
 * the event hash and the schema validator recurse, and a hostile body must not exhaust their stacks.
 */
export default fp<JsonDepthOptions>(
  async (app, { maxDepth }) => {
    app.addHook('preValidation', async (request) => {
      const body = request.body
      // XML bodies (bytes, or the request stream itself for capture) are bounded by the XML parser.
      if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || body instanceof Readable) return
      if ((await jsonDepthYielding(body, maxDepth)) > maxDepth) {
        throw ERRORS.validation(`The JSON body is nested deeper than ${maxDepth} levels`)
      }
    })
  },
  { name: 'json-depth' },
)
