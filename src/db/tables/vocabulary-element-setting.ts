import type { ColumnType, Selectable } from 'kysely'

export const vocabularyElementSettingTableName = 'vocabulary_element_setting'

/** Owner-only settings of a master-data element (never set by capture documents). */
export interface VocabularyElementSettingTable {
  vocabulary_type: string
  element_id: string
  allow_commercial_fields: boolean
  /** The organisation that set them; null when set by an operator key or before migration 0008. */
  organisation_id: string | null
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export type VocabularyElementSettingRow = Selectable<VocabularyElementSettingTable>
