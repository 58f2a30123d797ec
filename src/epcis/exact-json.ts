import { exactNumber, survivesDouble } from './exact-number.js'

/**
 * A number token a double may not keep (sixteen digits or more, or an exponent) where JSON puts a value: after
 * `:`, `,`, `[` or at the start, and followed by a delimiter. Digits inside strings (EPC URNs, GTINs) are not
 * followed by one, so they rarely match; a match only costs the slower, exact parse.
 */
const DOUBTFUL_NUMBER = /(?:^|[:,[])[ \t\n\r]*-?(?:\d(?:\.?\d){15,}|\d+(?:\.\d+)?[eE][+-]?\d+)[ \t\n\r]*(?:[,}\]]|$)/

/** Whether the JSON text may hold a number that JSON.parse would change. */
export function mayHoldInexactNumbers(text: string): boolean {
  return DOUBTFUL_NUMBER.test(text)
}

export interface ExactParseOptions {
  /** Refuse `__proto__` keys and `constructor.prototype` (as Fastify's parser does for request bodies). */
  refusePoisoning?: boolean
}

/**
 * JSON.parse, except that a number a double cannot hold exactly becomes an ExactNumber with its decimal text
 * (from the reviver's `context.source`). Texts without such a number take plain JSON.parse.
 */
export function parseJsonExactly(text: string, options: ExactParseOptions = {}): unknown {
  if (!mayHoldInexactNumbers(text)) return JSON.parse(text)
  return JSON.parse(text, options.refusePoisoning ? keepNumbersRefusingPoison : keepNumbers)
}

function keepNumbers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && context?.source !== undefined && !survivesDouble(context.source, value)) {
    return exactNumber(context.source)
  }
  return value
}

function keepNumbersRefusingPoison(key: string, value: unknown, context?: { source?: string }): unknown {
  if (key === '__proto__') throw new SyntaxError('Object contains forbidden prototype property')
  if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) {
    throw new SyntaxError('Object contains forbidden prototype property')
  }
  return keepNumbers(key, value, context)
}
