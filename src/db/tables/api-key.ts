import type { ColumnType, Insertable, Selectable } from 'kysely'

export const apiKeyTableName = 'api_key'

export interface ApiKeyTable {
  id: string
  /** Public part of the key, unique: finds the row without scanning hashes. */
  prefix: string
  /** SHA-256 of the secret part; the secret itself is never stored. */
  secret_hash: Buffer
  /** null only for operator keys (the bootstrap admin key). */
  organisation_id: string | null
  roles: string[]
  description: string | null
  expires_at: Date | null
  revoked_at: Date | null
  created_at: ColumnType<Date, Date | undefined, never>
  last_used_at: Date | null
}

export type ApiKeyRow = Selectable<ApiKeyTable>
export type NewApiKey = Insertable<ApiKeyTable>
