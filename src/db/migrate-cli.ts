import { loadConfig } from '../config.js'
import { guardConnectionErrors } from './connection-errors.js'
import { createDb, createPool } from './database.js'
import type { EmbeddedServer } from './embedded-postgres.js'
import { migrateToLatest } from './migrator.js'

const config = loadConfig()
let embedded: EmbeddedServer | undefined
if (!config.DATABASE_URL) {
  // Imported only here: the embedded-postgres package hooks process signals as soon as it is loaded.
  const { startEmbeddedPostgres, EmbeddedStartError } = await import('./embedded-postgres.js')
  try {
    embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, progress: (step) => console.log(step) })
  } catch (error) {
    console.error(error instanceof EmbeddedStartError ? error.message : `The embedded PostgreSQL server could not start: ${String((error as Error)?.stack ?? error)}`)
    process.exit(1)
  }
}
const pool = guardConnectionErrors(createPool(config.DATABASE_URL ?? embedded!.connectionString, 1), (err) =>
  console.warn(`database connection lost: ${err.message}`),
)
const db = createDb(pool)
try {
  const { results } = await migrateToLatest(db)
  for (const r of results ?? []) console.log(`${r.status}: ${r.migrationName}`)
  if (!results?.length) console.log('already at the latest migration')
} finally {
  await db.destroy()
  await embedded?.stop()
}
