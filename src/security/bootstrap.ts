import { randomUUID } from 'node:crypto'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { newKeySecret } from './api-key-secret.js'
import { anyKeyExists, insertKey } from './repository.js'

/** Serialises the first-start check of every instance: only one creates the bootstrap key. */
const BOOTSTRAP_LOCK = 0x6e67_6b31 // "ngk1"

export interface BootstrapOptions {
  /** ADMIN_API_KEY: when set, it is the operator's key and nothing is created. */
  adminApiKey: string | undefined
  dataDir: string
}

export interface BootstrapKey {
  key: string
  file: string
}

/**
 * On the first start on a database without API keys (and without ADMIN_API_KEY), creates an admin key
 * (every role, sees everything, no organisation, no expiry) and writes it to DATA_DIR/admin.key with
 * mode 0600. Returns it so that the caller can print it once; undefined when nothing was created.
 */
export async function createBootstrapKey(db: Db, options: BootstrapOptions): Promise<BootstrapKey | undefined> {
  if (options.adminApiKey !== undefined) return undefined
  const secret = newKeySecret()
  const created = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(trx)
    if (await anyKeyExists(trx)) return false
    await insertKey(trx, {
      id: randomUUID(),
      prefix: secret.prefix,
      secret_hash: secret.hash,
      organisation_id: null,
      roles: ['admin'],
      description: 'bootstrap admin key',
      expires_at: null,
      revoked_at: null,
      last_used_at: null,
    })
    return true
  })
  if (!created) return undefined
  const file = join(resolve(options.dataDir), 'admin.key')
  await mkdir(resolve(options.dataDir), { recursive: true })
  await writeFile(file, `${secret.key}\n`, { mode: 0o600 })
  await chmod(file, 0o600)
  return { key: secret.key, file }
}
