import type { ColumnType, Selectable } from 'kysely'

export const publicationSettingTableName = 'publication_setting'

/** One row: the time bounds of the checks (intervals are read as text by the repository). */
export interface PublicationSettingTable {
  id: ColumnType<boolean, never, never>
  max_event_age: string
  future_tolerance: string
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export type PublicationSettingRow = Selectable<PublicationSettingTable>
