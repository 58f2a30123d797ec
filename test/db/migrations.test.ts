import { sql } from 'kysely'
import t from 'tap'
import { createDb, createPool } from '../../src/db/database.js'
import { isMigrated, migrateToLatest } from '../../src/db/migrator.js'
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
