import type { ColumnType, Insertable, Selectable } from 'kysely'

export const vocabularyElementKeyTableName = 'vocabulary_element_key'

/** Canonical keys of one stored master-data version (vocabulary_element.id) and of its children. */
export interface VocabularyElementKeyTable {
  element_pk: number
  element_key: string
  child_keys: ColumnType<string[], string[] | undefined, never>
}

export type VocabularyElementKeyRow = Selectable<VocabularyElementKeyTable>
export type NewVocabularyElementKey = Insertable<VocabularyElementKeyTable>
