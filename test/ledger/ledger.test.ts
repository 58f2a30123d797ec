import pg from 'pg'
import t from 'tap'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { checkProofDocument } from '../../src/ledger/check-proof.js'
import { epcisDocument, objectEvent } from '../factories.js'
import { capture, get, ledgerApp, postEvent, verify } from './helpers.js'

const context = [EPCIS_CONTEXT_URL, { vn: 'https://nguon.example.vn/epcis/' }]
const ids = Array.from({ length: 5 }, (_, i) => `urn:uuid:7d1c2a30-0000-4000-8000-00000000000${i}`)
const single = 'urn:uuid:7d1c2a30-0000-4000-8000-0000000000ff'

t.test('the ledger over captures, its verification and proofs, and tampering', async (t) => {
  const { app, databaseUrl } = await ledgerApp(t)
  const sql = new pg.Client({ connectionString: databaseUrl })
  await sql.connect()
  t.teardown(() => sql.end())

  const events = ids.map((eventID, i) => objectEvent({ eventID, 'vn:lo': `L${i}` }))
  const job = await capture(app, epcisDocument(events, [{ vn: 'https://nguon.example.vn/epcis/' }]))
  t.equal(job.storedCount, 5)
  t.equal((await postEvent(app, { '@context': context, ...objectEvent({ eventID: single }) })).statusCode, 201)

  await t.test('one entry per capture, chained, paged with signed tokens', async (t) => {
    const first = await get(app, '/audit/ledger?perPage=1')
    t.equal(first.statusCode, 200)
    const [entry1] = first.json()
    t.match(entry1, { seq: 1, leafCount: 5, captureID: job.captureID, previousHash: '0'.repeat(64) })
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link as string)
    t.ok(next, 'a next page')
    const second = await get(app, next![1]!)
    const [entry2] = second.json()
    t.match(entry2, { seq: 2, leafCount: 1, captureID: null, previousHash: entry1.entryHash })
    t.notOk(second.headers.link, 'no page after the last')
    const forged = await get(app, '/audit/ledger?nextPageToken=eyJzIjoibGVkZ2VyIn0.AAAA')
    t.equal(forged.statusCode, 400)
    t.equal((await app.inject({ method: 'GET', url: '/audit/ledger' })).statusCode, 401, 'not without credentials')
  })

  await t.test('capturing the same events again appends nothing', async (t) => {
    const again = await capture(app, epcisDocument(events, [{ vn: 'https://nguon.example.vn/epcis/' }]))
    t.equal(again.storedCount, 0)
    t.equal((await get(app, '/audit/ledger')).json().length, 2)
    const report = await verify(app)
    t.match(report, { valid: true, entries: 2, events: 6, head: { seq: 2 }, firstBroken: null })
  })

  await t.test('a proof verifies offline, with the event as GET /events/{eventID} answers it', async (t) => {
    const response = await get(app, `/events/${encodeURIComponent(ids[3]!)}/proof`)
    t.equal(response.statusCode, 200)
    const proof = response.json()
    t.match(proof, { eventID: ids[3], algorithm: 'nguon-ledger-v1', head: { seq: 2 } })
    t.equal(proof.proofs.length, 1)
    t.match(proof.proofs[0], { leafIndex: 3, entry: { seq: 1, leafCount: 5 } })
    t.equal(proof.proofs[0].auditPath.length, 3)
    const event = (await get(app, `/events/${encodeURIComponent(ids[3]!)}`)).json()
    t.equal((await checkProofDocument(proof, event)).ok, true)
    const other = (await get(app, `/events/${encodeURIComponent(ids[2]!)}`)).json()
    t.equal((await checkProofDocument(proof, other)).ok, false, 'not a proof of another event')
    const path = [...proof.proofs[0].auditPath]
    path[1] = path[1].replace(/^./, (c: string) => (c === '0' ? '1' : '0'))
    const altered = { ...proof, proofs: [{ ...proof.proofs[0], auditPath: path }] }
    t.equal((await checkProofDocument(altered)).ok, false, 'an altered path fails')
    const singleProof = (await get(app, `/events/${encodeURIComponent(single)}/proof`)).json()
    t.match(singleProof.proofs[0], { leafIndex: 0, auditPath: [], entry: { seq: 2, entryHash: singleProof.head.entryHash } })
    t.equal((await checkProofDocument(singleProof)).ok, true)
  })

  await t.test('an unknown event has no proof', async (t) => {
    const response = await get(app, `/events/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}/proof`)
    t.equal(response.statusCode, 404)
    t.equal(response.json().type, 'epcisException:NoSuchResourceException')
  })

  /** Applies a change in SQL, checks what verification reports, then undoes it. */
  async function tampered(change: string, undo: string, params: unknown[] = [], undoParams = params) {
    await sql.query(change, params)
    try {
      return await verify(app)
    } finally {
      await sql.query(undo, undoParams)
    }
  }
  const bodyOf = async (eventId: string) =>
    (await sql.query('SELECT body::text AS body FROM event WHERE event_id = $1', [eventId])).rows[0].body as string

  await t.test('an edited event body is the first broken link', async (t) => {
    const body = await bodyOf(ids[2]!)
    const report = await tampered(
      `UPDATE event SET body = jsonb_set(body, '{bizStep}', '"receiving"') WHERE event_id = $1`,
      `UPDATE event SET body = $2::jsonb WHERE event_id = $1`,
      [ids[2]],
      [ids[2], body],
    )
    t.match(report, { valid: false, entries: 0, firstBroken: { kind: 'event-hash', seq: 1, eventID: ids[2], leafIndex: 2 } })
  })

  await t.test('an edit the CBV hash does not see (errorDeclaration, eventID) still breaks the leaf', async (t) => {
    const body = await bodyOf(ids[4]!)
    const declared = await tampered(
      `UPDATE event SET body = body || '{"errorDeclaration": {"declarationTime": "2024-05-02T00:00:00Z"}}' WHERE event_id = $1`,
      `UPDATE event SET body = $2::jsonb WHERE event_id = $1`,
      [ids[4]],
      [ids[4], body],
    )
    t.match(declared.firstBroken, { kind: 'leaf-hash', seq: 1, eventID: ids[4] })
    const renamed = await tampered(
      `UPDATE event SET event_id = 'urn:uuid:forged' WHERE event_id = $1`,
      `UPDATE event SET event_id = $1 WHERE event_id = 'urn:uuid:forged'`,
      [ids[0]],
    )
    t.match(renamed.firstBroken, { kind: 'leaf-hash', seq: 1, eventID: 'urn:uuid:forged', leafIndex: 0 })
  })

  await t.test('an edited event_hash column', async (t) => {
    const report = await tampered(
      `UPDATE event SET event_hash = 'ni:///sha-256;' || repeat('0', 64) || '?ver=CBV2.0' WHERE event_id = $1`,
      `UPDATE event SET event_hash = $2 WHERE event_id = $1`,
      [single],
      [single, (await sql.query('SELECT event_hash FROM event WHERE event_id = $1', [single])).rows[0].event_hash],
    )
    t.match(report, { valid: false, entries: 1, events: 5, head: { seq: 1 }, firstBroken: { kind: 'event-hash', seq: 2, eventID: single } })
  })

  await t.test('edited ledger rows', async (t) => {
    const leaf = await tampered(
      `UPDATE ledger_leaf SET leaf_hash = sha256(leaf_hash) WHERE entry_seq = 1 AND leaf_index = 1`,
      `UPDATE ledger_leaf SET leaf_hash = decode($1, 'hex') WHERE entry_seq = 1 AND leaf_index = 1`,
      [],
      [(await sql.query(`SELECT encode(leaf_hash, 'hex') AS h FROM ledger_leaf WHERE entry_seq = 1 AND leaf_index = 1`)).rows[0].h],
    )
    t.match(leaf.firstBroken, { kind: 'leaf-hash', seq: 1, leafIndex: 1, eventID: ids[1] })
    const count = await tampered(
      `UPDATE ledger_entry SET leaf_count = 4 WHERE seq = 1`,
      `UPDATE ledger_entry SET leaf_count = 5 WHERE seq = 1`,
    )
    t.match(count.firstBroken, { kind: 'entry-hash', seq: 1 })
    const link = await tampered(
      `UPDATE ledger_entry SET previous_hash = sha256(previous_hash) WHERE seq = 2`,
      `UPDATE ledger_entry SET previous_hash = (SELECT entry_hash FROM ledger_entry WHERE seq = 1) WHERE seq = 2`,
    )
    t.match(link.firstBroken, { kind: 'previous-hash', seq: 2 })
    const removed = await tampered(
      `UPDATE ledger_leaf SET entry_seq = 99 WHERE entry_seq = 1 AND leaf_index = 4`,
      `UPDATE ledger_leaf SET entry_seq = 1 WHERE entry_seq = 99`,
    )
    t.match(removed.firstBroken, { kind: 'leaf-count', seq: 1, expected: '5', found: '4' })
  })

  await t.test('a deleted event, and an event stored behind the ledger', async (t) => {
    await sql.query('CREATE TEMP TABLE saved_event AS SELECT * FROM event WHERE event_id = $1', [ids[1]])
    const deleted = await tampered(
      `DELETE FROM event WHERE event_id = $1`,
      `INSERT INTO event SELECT * FROM saved_event WHERE event_id = $1`,
      [ids[1]],
    )
    t.match(deleted.firstBroken, { kind: 'event-missing', seq: 1, leafIndex: 1 })
    const smuggled = await tampered(
      `INSERT INTO event (event_id, event_hash, event_type, event_time, event_time_zone_offset, body)
       SELECT 'urn:uuid:smuggled', event_hash, event_type, event_time, event_time_zone_offset, body FROM event WHERE event_id = $1`,
      `DELETE FROM event WHERE event_id = 'urn:uuid:smuggled'`,
      [ids[0]],
      [],
    )
    t.match(smuggled, { valid: false, entries: 2, firstBroken: { kind: 'event-outside-ledger', eventID: 'urn:uuid:smuggled' } })
  })

  await t.test('a proof of an altered event does not verify', async (t) => {
    const body = await bodyOf(ids[3]!)
    await sql.query(`UPDATE event SET body = body || '{"vn:lo": "FORGED"}' WHERE event_id = $1`, [ids[3]])
    try {
      const proof = (await get(app, `/events/${encodeURIComponent(ids[3]!)}/proof`)).json()
      const check = await checkProofDocument(proof)
      t.equal(check.ok, false)
      t.match(check.messages.join('\n'), /audit path does not lead/)
    } finally {
      await sql.query(`UPDATE event SET body = $2::jsonb WHERE event_id = $1`, [ids[3], body])
    }
  })

  await t.test('after every undo the ledger verifies again', async (t) => {
    t.match(await verify(app), { valid: true, entries: 2, events: 6 })
  })
})
