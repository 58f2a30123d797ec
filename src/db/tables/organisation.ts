import type { ColumnType, Insertable, Selectable } from 'kysely'

export const organisationTableName = 'organisation'

export interface OrganisationTable {
  id: string
  name: string
  created_at: ColumnType<Date, Date | undefined, never>
}

export type OrganisationRow = Selectable<OrganisationTable>
export type NewOrganisation = Insertable<OrganisationTable>
