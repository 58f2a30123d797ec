import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

export const vocabularyElementTableName = 'vocabulary_element'

export interface VocabularyAttribute {
  id: string
  attribute?: unknown
}

export interface VocabularyElementTable {
  id: Generated<number>
  vocabulary_type: string
  element_id: string
  attributes: ColumnType<VocabularyAttribute[], string, never>
  children: ColumnType<string[], string[], never>
  capture_job_id: number | null
  created_at: ColumnType<Date, Date | undefined, never>
  /** The organisation whose capture or PUT wrote this version (null: before migration 0008 or an operator key). */
  organisation_id: ColumnType<string | null, string | null | undefined, never>
}

export type VocabularyElementRow = Selectable<VocabularyElementTable>
export type NewVocabularyElement = Insertable<VocabularyElementTable>
