import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import type { NamedQueryRow } from '../../db/tables/named-query.js'

/** Stores a named query; false when the name is taken. */
export async function insertNamedQuery(
  db: Db,
  name: string,
  query: Record<string, unknown>,
  namespaces: Record<string, string[]>,
  organisationId: string | null = null,
): Promise<boolean> {
  const inserted = await db
    .insertInto('named_query')
    .values({ name, query: JSON.stringify(query), namespaces: JSON.stringify(namespaces), organisation_id: organisationId })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .execute()
  return inserted.length > 0
}

export async function findNamedQuery(db: Db, name: string): Promise<NamedQueryRow | undefined> {
  return db.selectFrom('named_query').selectAll().where('name', '=', name).executeTakeFirst()
}

/** Named queries after `after`, by name. */
export async function listNamedQueries(db: Db, after: string | undefined, limit: number): Promise<NamedQueryRow[]> {
  return db
    .selectFrom('named_query')
    .selectAll()
    .$if(after !== undefined, (q) => q.where('name', '>', after!))
    .orderBy(sql`name COLLATE "C"`)
    .limit(limit)
    .execute()
}

export async function deleteNamedQuery(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom('named_query').where('name', '=', name).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
