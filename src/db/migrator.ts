import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration'
import { migrationsDir } from '../paths.js'

/** Reads the forward-only SQL files in migrations/ (0001_init.sql, ...), in name order. */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string = migrationsDir) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((name) => name.endsWith('.sql')).sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      const text = await readFile(join(this.folder, file), 'utf8')
      migrations[file.replace(/\.sql$/, '')] = {
        up: async (db) => {
          // A migration may rebuild an index over millions of rows: the API's statement timeout is not for it.
          await sql`SET LOCAL statement_timeout = 0`.execute(db)
          await sql.raw(text).execute(db)
        },
      }
    }
    return migrations
  }
}

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new SqlFileMigrationProvider() })
}

/** Migrates to the latest version; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const error = new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`)
    error.cause = result.error
    throw error
  }
  return result
}

/** True when every migration in migrations/ has been applied. */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  // One read of Kysely's bookkeeping table: readiness is probed often, and the Migrator's catalogue
  // introspection took seconds on a busy server.
  const files = (await readdir(migrationsDir)).filter((name) => name.endsWith('.sql')).map((name) => name.replace(/\.sql$/, ''))
  const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration`
    .execute(db)
    .then((result) => new Set(result.rows.map((row) => row.name)))
    .catch((error: { code?: string }) => {
      if (error.code === '42P01') return new Set<string>() // undefined_table: nothing migrated yet
      throw error
    })
  return files.every((name) => applied.has(name))
}
