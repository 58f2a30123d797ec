import { errorCodes, type FastifyInstance } from 'fastify'
import { ERRORS } from '../errors.js'
import { mayHoldInexactNumbers, parseJsonExactly } from '../epcis/exact-json.js'

/** `\u0000` escaped in JSON text: after an even number of backslashes (an odd number would escape the last one). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/

/**
 * Parses application/json and application/ld+json bodies as Fastify does (prototype poisoning refused), and
 * refuses a NUL character anywhere in them up front: PostgreSQL can store it in neither text nor jsonb, so it
 * would otherwise fail only when stored (a 500 for POST /events, a failed job for POST /capture).
 * A number that a double cannot hold exactly (12345678901234567) is kept as its decimal text (an ExactNumber);
 * the capture checks refuse those beyond a double's range, naming where they are.
 */
export function parseJsonBodies(app: FastifyInstance, bodyLimit: number): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(['application/json', 'application/ld+json'], { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = body as string
    if (ESCAPED_NUL.test(text)) {
      done(ERRORS.validation('The body holds a NUL character (\\u0000), which no EPCIS value may hold'), undefined)
      return
    }
    if (!mayHoldInexactNumbers(text)) {
      parse(request, text, done)
      return
    }
    let value: unknown
    try {
      value = parseJsonExactly(text, { refusePoisoning: true })
    } catch {
      done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined)
      return
    }
    done(null, value)
  })
}
