import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, Db } from '../db/database.js'
import type { ApiKeyRow, NewApiKey } from '../db/tables/api-key.js'
import type { OrganisationRow } from '../db/tables/organisation.js'
import type { OrganisationIdentifier } from './principal.js'

type Executor = Kysely<Database> | Transaction<Database>

export async function findKeyByPrefix(db: Db, prefix: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_key').selectAll().where('prefix', '=', prefix).executeTakeFirst()
}

/** Records that a key was used, at most once a minute per key (a write per request would cost more than it tells). */
export async function touchKey(db: Db, id: string): Promise<void> {
  await sql`
    UPDATE api_key SET last_used_at = now()
    WHERE id = ${id} AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`.execute(db)
}

export async function insertKey(db: Executor, key: NewApiKey): Promise<ApiKeyRow> {
  return db.insertInto('api_key').values(key).returningAll().executeTakeFirstOrThrow()
}

/** Revokes a key; undefined when there is no such key. Revoking twice keeps the first time. */
export async function revokeKey(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .updateTable('api_key')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/** Keys newest first, after the (created_at, id) of the previous page's last row. */
export async function listKeys(db: Db, limit: number, after?: { createdAt: string; id: string }): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_key')
    .selectAll()
    .$if(after !== undefined, (q) => q.where(sql<boolean>`(created_at, id) < (${after!.createdAt}::timestamptz, ${after!.id})`))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

export async function anyKeyExists(db: Executor): Promise<boolean> {
  return (await db.selectFrom('api_key').select('id').limit(1).executeTakeFirst()) !== undefined
}

export async function findOrganisation(db: Executor, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Inserts an organisation with its identifiers; false when the id is taken. */
export async function insertOrganisation(
  db: Transaction<Database>,
  organisation: { id: string; name: string },
  identifiers: OrganisationIdentifier[],
): Promise<OrganisationRow | undefined> {
  const row = await db
    .insertInto('organisation')
    .values(organisation)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst()
  if (row && identifiers.length > 0) {
    await db
      .insertInto('organisation_identifier')
      .values(identifiers.map((i) => ({ organisation_id: organisation.id, kind: i.kind, digits: i.digits })))
      .execute()
  }
  return row
}

/** Organisations by id, after `after`. */
export async function listOrganisations(db: Db, limit: number, after?: string): Promise<OrganisationRow[]> {
  return db
    .selectFrom('organisation')
    .selectAll()
    .$if(after !== undefined, (q) => q.where('id', '>', after!))
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** The identifiers of some organisations, by organisation id. */
export async function findIdentifiers(db: Executor, organisationIds: string[]): Promise<Map<string, OrganisationIdentifier[]>> {
  const byOrganisation = new Map<string, OrganisationIdentifier[]>(organisationIds.map((id) => [id, []]))
  if (organisationIds.length === 0) return byOrganisation
  const rows = await db
    .selectFrom('organisation_identifier')
    .selectAll()
    .where('organisation_id', 'in', organisationIds)
    .orderBy('kind')
    .orderBy('digits')
    .execute()
  for (const row of rows) byOrganisation.get(row.organisation_id)?.push({ kind: row.kind, digits: row.digits })
  return byOrganisation
}
