import { loadConfig } from '../config.js'
import { createDb, createPool } from './database.js'
import { startEmbeddedPostgres } from './embedded-postgres.js'
import { migrateToLatest } from './migrator.js'

const config = loadConfig()
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: config.DATA_DIR })
const db = createDb(createPool(config.DATABASE_URL ?? embedded!.connectionString, 1))
try {
  const { results } = await migrateToLatest(db)
  for (const r of results ?? []) console.log(`${r.status}: ${r.migrationName}`)
  if (!results?.length) console.log('already at the latest migration')
} finally {
  await db.destroy()
  await embedded?.stop()
}
