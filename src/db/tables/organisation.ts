import type { ColumnType, Insertable, Selectable } from 'kysely'

export const organisationTableName = 'organisation'

export type PublicationPolicy = 'auto' | 'review'

export interface OrganisationTable {
  id: string
  name: string
  created_at: ColumnType<Date, Date | undefined, never>
  /** auto: events passing the publication checks are published on capture; review: every event is held for a reviewer. */
  publication_policy: ColumnType<PublicationPolicy, PublicationPolicy | undefined, PublicationPolicy>
}

export type OrganisationRow = Selectable<OrganisationTable>
export type NewOrganisation = Insertable<OrganisationTable>
