import type { ColumnType, Insertable, Selectable } from 'kysely'

export const namedQueryTableName = 'named_query'

export interface NamedQueryTable {
  name: string
  /** The query object as given to POST /queries. */
  query: ColumnType<Record<string, unknown>, string, never>
  /** Namespace prefixes the query's parameter names resolved to when it was created. */
  namespaces: ColumnType<Record<string, string[]>, string, never>
  created_at: ColumnType<Date, Date | undefined, never>
  /** The organisation that created it (null: before migration 0008 or an operator key); only it may delete it. */
  organisation_id: ColumnType<string | null, string | null | undefined, never>
}

export type NamedQueryRow = Selectable<NamedQueryTable>
export type NewNamedQuery = Insertable<NamedQueryTable>
