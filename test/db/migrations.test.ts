import { sql } from 'kysely'
import t from 'tap'
import { createDb, createPool } from '../../src/db/database.js'
import { createMigrator, isMigrated, migrateToLatest } from '../../src/db/migrator.js'
import { createTestDatabase } from '../db.js'

t.test('empty database -> latest -> again: nothing changes the second time', async (t) => {
  const database = await createTestDatabase()
  const db = createDb(createPool(database.url, 2))
  t.teardown(async () => {
    await db.destroy()
    await database.drop()
  })
  t.equal(await isMigrated(db), false)
  const first = await migrateToLatest(db)
  t.ok(first.results && first.results.length > 0)
  t.ok(first.results!.every((r) => r.status === 'Success'))
  t.equal(await isMigrated(db), true)
  const tables = async () =>
    (await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`.execute(db)).rows.map((r) => r.t)
  const before = await tables()
  t.ok(before.includes('event') && before.includes('event_identifier') && before.includes('capture_job'))
  const second = await migrateToLatest(db)
  t.same(second.results, [], 'no migration runs twice')
  t.same(await tables(), before)
})

t.test('0014 percent-encodes \' ; = in the canonical Digital Links stored before', async (t) => {
  const database = await createTestDatabase()
  const db = createDb(createPool(database.url, 2))
  t.teardown(async () => {
    await db.destroy()
    await database.drop()
  })
  const migrated = await createMigrator(db).migrateTo('0009_capture_job_part')
  t.notOk(migrated.error)
  const old = "https://id.gs1.org/01/09506000134352/21/a'b;c=d"
  const oldLot = "https://id.gs1.org/01/09506000134352/10/L'1"
  const untouched = "urn:example:a'b;c=d"
  const event = await sql<{ id: number }>`
    INSERT INTO event (event_id, event_type, event_time, event_time_zone_offset, body, read_point, biz_location)
    VALUES ('e1', 'ObjectEvent', now(), '+00:00', '{}', ${old}, ${untouched}) RETURNING id`.execute(db)
  const pk = event.rows[0]!.id
  await sql`INSERT INTO event_identifier (event_pk, role, identifier) VALUES (${pk}, 1, ${old}), (${pk}, 1, ${untouched})`.execute(db)
  await sql`INSERT INTO event_link (event_pk, kind, type, value) VALUES (${pk}, 2, null, ${old})`.execute(db)
  await sql`INSERT INTO lot_member (event_pk, instance, lot) VALUES (${pk}, ${old}, ${oldLot})`.execute(db)
  const element = await sql<{ id: number }>`
    INSERT INTO vocabulary_element (vocabulary_type, element_id) VALUES ('t', ${oldLot}) RETURNING id`.execute(db)
  await sql`INSERT INTO vocabulary_element_key (element_pk, element_key, child_keys)
    VALUES (${element.rows[0]!.id}, ${oldLot}, ${[old, untouched]})`.execute(db)
  await sql`INSERT INTO resolver_link_set (identifier, item_description, links) VALUES ('/01/09506000134352/10/L''1', 'x', '[]')`.execute(db)

  t.notOk((await migrateToLatest(db)).error)
  const encoded = 'https://id.gs1.org/01/09506000134352/21/a%27b%3Bc%3Dd'
  const encodedLot = 'https://id.gs1.org/01/09506000134352/10/L%271'
  const one = async (query: ReturnType<typeof sql<{ v: unknown }>>) => (await query.execute(db)).rows.map((r) => r.v)
  t.same(await one(sql`SELECT read_point AS v FROM event`), [encoded])
  t.same(await one(sql`SELECT biz_location AS v FROM event`), [untouched], 'other URIs are left alone')
  t.same(await one(sql`SELECT identifier AS v FROM event_identifier ORDER BY 1`), [encoded, untouched].sort())
  t.same(await one(sql`SELECT value AS v FROM event_link`), [encoded])
  t.same(await one(sql`SELECT instance || ' ' || lot AS v FROM lot_member`), [`${encoded} ${encodedLot}`])
  t.same(await one(sql`SELECT element_key AS v FROM vocabulary_element_key`), [encodedLot])
  t.same(await one(sql`SELECT child_keys AS v FROM vocabulary_element_key`), [[encoded, untouched]])
  t.same(await one(sql`SELECT identifier AS v FROM resolver_link_set`), ['/01/09506000134352/10/L%271'])
})
