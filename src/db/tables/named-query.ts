import type { ColumnType, Insertable, Selectable } from 'kysely'

export const namedQueryTableName = 'named_query'

export interface NamedQueryTable {
  name: string
  /** The query object as given to POST /queries. */
  query: ColumnType<Record<string, unknown>, string, never>
  /** Namespace prefixes the query's parameter names resolved to when it was created. */
  namespaces: ColumnType<Record<string, string[]>, string, never>
  created_at: ColumnType<Date, Date | undefined, never>
}

export type NamedQueryRow = Selectable<NamedQueryTable>
export type NewNamedQuery = Insertable<NamedQueryTable>
