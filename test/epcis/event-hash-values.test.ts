import fc from 'fast-check'
import t from 'tap'
import { canonicalTimestamp, compareCodePoints, sortedJoin } from '../../src/epcis/event-hash/values.js'

/** canonicalTimestamp as it was before its fast path for the usual shape: the regular expression for every value. */
function referenceTimestamp(raw: string): string {
  const value = raw.trim()
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value)) return value
  const match = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(value)
  if (match === null) return value
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match
  const y = Number(year)
  let time = Date.UTC(y, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second))
  if (y >= 0 && y < 100) time = new Date(time).setUTCFullYear(y)
  let millis = Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0'))
  if (fraction.length > 3 && fraction.charCodeAt(3) >= 53) millis += 1
  if (zone !== 'Z') {
    const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))
    time -= (zone.charCodeAt(0) === 45 ? -minutes : minutes) * 60_000
  }
  time += millis
  return Number.isNaN(time) ? value : new Date(time).toISOString()
}

const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length })
/** Mostly well-formed date-times, with every part sometimes replaced by something that is not. */
const part = (good: fc.Arbitrary<string>) => fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) })
const timestamp = fc
  .tuple(
    part(fc.oneof(digits(4), fc.constantFrom('0000', '0099', '0100', '-2024', '12024'))),
    part(digits(2)), part(digits(2)), part(fc.constantFrom('T', 't', ' ')), part(digits(2)), part(digits(2)), part(digits(2)),
    fc.oneof(fc.constant(''), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 9 }).map((d) => `.${d}`)),
    part(fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), digits(2), digits(2)).map(([s, h, m]) => `${s}${h}:${m}`))),
    fc.constantFrom('', ' '),
  )
  .map(([y, mo, d, tee, h, mi, s, fraction, zone, space]) => `${space}${y}-${mo}-${d}${tee}${h}:${mi}:${s}${fraction}${zone}`)

t.test('canonicalTimestamp gives what the regular expression alone gives', async (t) => {
  fc.assert(fc.property(timestamp, (value) => canonicalTimestamp(value) === referenceTimestamp(value)), { numRuns: 20_000 })
  for (const value of ['2024-03-01T07:02:13.123+07:00', '2023-12-31T23:59:59.9995Z', '0099-01-01T00:00:00Z', '2024-02-30T25:61:61.5-14:59']) {
    t.equal(canonicalTimestamp(value), referenceTimestamp(value), value)
  }
})

t.test('sortedJoin concatenates in code point order, also with characters above U+FFFF', async () => {
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'b', '\uE000', '\uFFFF', '😀', '𝄞', '\uD800'), fc.constant('epc=https://id.gs1.org/01/')), maxLength: 6 })
  fc.assert(
    fc.property(fc.array(text, { maxLength: 24 }), (values) => sortedJoin([...values]) === [...values].sort(compareCodePoints).join('')),
    { numRuns: 20_000 },
  )
})
