/**
 * timestamptz values are read by hand into the Date pg's own parser gives: the same instant (with the same
 * millisecond truncation) for every form PostgreSQL writes, and pg's parser decides whatever else comes.
 */
import fc from 'fast-check'
import pg from 'pg'
import t from 'tap'
import { parseTimestamptz, TIMESTAMPTZ_OID } from '../../src/db/timestamp.js'
import { createPool } from '../../src/db/database.js'
import { createTestDatabase } from '../db.js'

const pgParse = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text')
const same = (text: string) => {
  const ours = parseTimestamptz(text)
  const theirs = pgParse(text)
  return ours instanceof Date && theirs instanceof Date ? Object.is(ours.getTime(), theirs.getTime()) : Object.is(ours, theirs)
}

t.test('the forms PostgreSQL writes, and the odd ones', async (t) => {
  for (const text of [
    '2026-12-08 02:20:11+00',
    '2026-12-08 02:20:11.5+07',
    '2026-12-08 02:20:11.123456-03:30',
    '1883-11-18 12:00:00+05:53:28',
    '2024-02-29 23:59:59.999999+14',
    '0099-01-01 00:00:00+00',
    '0001-01-01 00:00:00+00 BC',
    '12026-01-01 00:00:00+00',
    'infinity',
    '-infinity',
    '2026-12-08 02:20:11.+00',
    '2026-12-08 02:20:11.1+0',
    '2026-12-08T02:20:11+00',
  ]) {
    t.ok(same(text), text)
  }
  t.equal((parseTimestamptz('2026-12-08 09:20:11.145+07') as Date).toISOString(), '2026-12-08T02:20:11.145Z')
})

t.test('random instants in random zones, as text', async (t) => {
  const two = (n: number) => String(n).padStart(2, '0')
  fc.assert(
    fc.property(
      fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }),
      fc.option(fc.integer({ min: 1, max: 6 }).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n }))),
      fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 15 }), fc.option(fc.integer({ min: 0, max: 59 })), fc.option(fc.integer({ min: 0, max: 59 })),
      (y, mo, d, h, mi, s, fraction, sign, zh, zm, zs) => {
        const zone = `${sign}${two(zh)}${zm === null ? '' : `:${two(zm)}${zs === null ? '' : `:${two(zs)}`}`}`
        return same(`${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}${fraction === null ? '' : `.${fraction}`}${zone}`)
      },
    ),
    { numRuns: 5000 },
  )
  t.pass()
})

t.test('what a real server writes, in any session time zone', async (t) => {
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  const pool = createPool(database.url)
  t.teardown(() => pool.end())
  const client = await pool.connect()
  t.teardown(() => client.release())
  for (const zone of ['UTC', 'Asia/Ho_Chi_Minh', 'America/St_Johns', 'Asia/Kathmandu']) {
    await client.query(`SET TIME ZONE '${zone}'`)
    const { rows } = await client.query<{ at: Date; text: string }>(
      `SELECT t AS at, t::text AS text FROM unnest(ARRAY['2026-12-08 02:20:11.123456Z', '1900-01-01 00:00:00Z', '2000-02-29 12:00:00.5Z']::timestamptz[]) t`,
    )
    for (const row of rows) t.ok(same(row.text) && (row.at as Date).getTime() === (pgParse(row.text) as Date).getTime(), `${zone}: ${row.text}`)
  }
})
