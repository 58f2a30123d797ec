import type { ColumnType, Selectable } from 'kysely'

export const masterDataOwnerTableName = 'master_data_owner'

/** The organisation that owns a master-data element, by the element's canonical key (any spelling of its id). */
export interface MasterDataOwnerTable {
  element_key: string
  organisation_id: string
  created_at: ColumnType<Date, Date | undefined, never>
}

export type MasterDataOwnerRow = Selectable<MasterDataOwnerTable>
