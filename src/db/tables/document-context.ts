import type { ColumnType, Generated, Selectable } from 'kysely'

export const documentContextTableName = 'document_context'

export interface DocumentContextTable {
  id: Generated<number>
  digest: string
  context: ColumnType<unknown, string, never>
  namespaces: ColumnType<Record<string, string>, string, never>
}

export type DocumentContextRow = Selectable<DocumentContextTable>
