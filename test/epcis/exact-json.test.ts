import fc from 'fast-check'
import t from 'tap'
import { parseJsonExactly } from '../../src/epcis/exact-json.js'
import { canonicalNumber, canonicalDecimal } from '../../src/epcis/event-hash/values.js'
import { isNumeric, numberProblem } from '../../src/epcis/exact-number.js'

/** A JSON number literal: sign, integer digits, fraction, exponent, each drawn independently. */
const literal = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9]\d{0,39}$/)),
    fc.option(fc.stringMatching(/^\d{1,40}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 420 })), { nil: undefined }),
  )
  .map(([minus, integer, fraction, exponent]) =>
    `${minus ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}${exponent === undefined ? '' : `${exponent[0]}${exponent[1]}${exponent[2]}`}`,
  )

const whitespace = fc.constantFrom('', ' ', '\n', '\t ', '\r\n  ')

t.test('every number comes out of the parser with the value of its literal, wherever it stands', async (t) => {
  fc.assert(
    fc.property(literal, whitespace, whitespace, fc.integer({ min: 0, max: 3 }), (text, before, after, place) => {
      const json = [
        `${before}${text}${after}`,
        `[1,${before}${text}${after}]`,
        `{"a":"urn:x:1234567890123456789","b":${before}${text}${after}}`,
        `{"list":[{"q":${before}${text}${after}},"x"]}`,
      ][place]!
      const parsed = parseJsonExactly(json) as unknown
      const pick = [
        () => parsed,
        () => (parsed as unknown[])[1],
        () => (parsed as Record<string, unknown>).b,
        () => (parsed as { list: Array<{ q: unknown }> }).list[0]!.q,
      ][place]!
      const value = pick()
      if (!isNumeric(value)) return false
      // Kept as a double only when the double has the literal's value; an exact number is the literal itself.
      // Refused (later, by the capture checks) only beyond a double's range or the exponent canonicalDecimal takes.
      if (numberProblem(value) !== undefined) return !Number.isFinite(Number(text)) || canonicalDecimal(text) === undefined
      return canonicalNumber(value) === canonicalDecimal(text)
    }),
    { numRuns: 3000 },
  )
})

t.test('digits in strings and plain numbers take the fast path unchanged', async (t) => {
  const text = '{"epc":"urn:epc:id:sscc:0614141.1234567890","n":[1, 2.5, -0.25, 1e3],"s":"12345678901234567"}'
  t.same(parseJsonExactly(text), JSON.parse(text))
  t.throws(() => parseJsonExactly('{"a":12345678901234567,"__proto__":{}}', { refusePoisoning: true }), 'prototype poisoning is refused')
  t.same(JSON.stringify(parseJsonExactly('[12345678901234567, 1e400, 0.1]')), '[12345678901234567,1e400,0.1]')
})
