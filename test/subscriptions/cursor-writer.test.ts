/**
 * Cursor moves that end together go out as one statement, and each still moves only under its own lease and
 * from its own position: one stale move in a batch does not move, nor stop the others.
 */
import { sql } from 'kysely'
import t from 'tap'
import { CursorWriter } from '../../src/subscriptions/cursor-writer.js'
import { build } from '../helper.js'
import { createNamedQuery, FAST, subscribe } from './helpers.js'

interface Row {
  id: string
  after_xid: string
  after_pk: string
  lease_owner: string | null
  lease_expires_at: Date | null
  next_attempt_at: Date | null
  last_notified_at: Date | null
  failure_count: number
  last_error: string | null
}

t.test('moves of several subscriptions in one statement, each under its own lease and position', async (t) => {
  const app = await build(t, { ...FAST, SUBSCRIPTION_CONCURRENCY: 0 })
  await createNamedQuery(app, 'cursors', {})
  const subscriptions = []
  for (let i = 0; i < 3; i++) subscriptions.push((await subscribe(app, 'cursors', { dest: `http://127.0.0.1:9/${i}`, stream: true })).subscriptionID)
  const [a, b, c] = subscriptions as [string, string, string]
  // Each held by this test, with a failure on record; c is held by another owner.
  await sql`UPDATE subscription SET lease_owner = CASE WHEN id = ${c} THEN 'other' ELSE 'me' END,
    lease_expires_at = now() + interval '1 minute', failure_count = 3, last_error = 'refused', failing_since = now()`.execute(app.db)
  const rows = async () =>
    new Map((await sql<Row>`SELECT * FROM subscription ORDER BY id`.execute(app.db)).rows.map((row) => [row.id, row]))
  const before = await rows()
  const from = (id: string) => ({ xid: before.get(id)!.after_xid, pk: Number(before.get(id)!.after_pk) })
  const to = { xid: String(BigInt(before.get(a)!.after_xid) + 10n), pk: 42 }
  const recordTime = new Date('2026-12-07T10:00:00Z')

  const writer = new CursorWriter(app.db)
  const moved = await Promise.all([
    writer.record({ id: a, owner: 'me', from: from(a), to, minRecordTime: recordTime, leaseMs: 60_000, release: true }),
    writer.record({ id: b, owner: 'me', from: from(b), to, minRecordTime: recordTime, leaseMs: 60_000, release: false }),
    writer.record({ id: c, owner: 'me', from: from(c), to, minRecordTime: recordTime, leaseMs: 60_000, release: true }),
  ])
  t.same(moved, [true, true, false], 'the lease another instance holds is not moved')

  const after = await rows()
  for (const id of [a, b]) {
    const row = after.get(id)!
    t.equal(row.after_xid, to.xid, 'the cursor moved')
    t.equal(Number(row.after_pk), 42)
    t.ok(row.last_notified_at, 'lastNotifiedAt is set')
    t.equal(row.failure_count, 0, 'failures are cleared')
    t.equal(row.last_error, null)
  }
  t.equal(after.get(a)!.lease_owner, 'me')
  t.equal(after.get(a)!.lease_expires_at, null, 'released at the end of its turn')
  t.equal(after.get(a)!.next_attempt_at, null)
  t.ok(after.get(b)!.lease_expires_at!.getTime() > Date.now() + 50_000, 'the lease of one going on is renewed')
  t.same(after.get(c), before.get(c), 'the other owner’s subscription is untouched')

  const stale = await writer.record({ id: a, owner: 'me', from: from(a), to: { ...to, pk: 43 }, minRecordTime: recordTime, leaseMs: 60_000, release: true })
  t.equal(stale, false, 'a move from a position the cursor has left does not move it')
  t.equal(Number((await rows()).get(a)!.after_pk), 42)
})

t.test('a statement that fails rejects every move it carried', async (t) => {
  const app = await build(t, { ...FAST, SUBSCRIPTION_CONCURRENCY: 0 })
  const writer = new CursorWriter(app.db)
  const move = { owner: 'me', from: { xid: '1', pk: 0 }, to: { xid: '2', pk: 1 }, minRecordTime: new Date(), leaseMs: 1000, release: true }
  const results = await Promise.allSettled([
    writer.record({ ...move, id: '00000000-0000-4000-8000-000000000001' }),
    writer.record({ ...move, id: 'not a uuid' }),
  ])
  t.same(results.map((r) => r.status), ['rejected', 'rejected'])
})
