import type { Insertable, Selectable } from 'kysely'

export const organisationIdentifierTableName = 'organisation_identifier'

/** gln and pgln: 13 digits; company_prefix: a GS1 Company Prefix, 4 to 12 digits. */
export type OrganisationIdentifierKind = 'gln' | 'pgln' | 'company_prefix'

export interface OrganisationIdentifierTable {
  organisation_id: string
  kind: OrganisationIdentifierKind
  digits: string
}

export type OrganisationIdentifierRow = Selectable<OrganisationIdentifierTable>
export type NewOrganisationIdentifier = Insertable<OrganisationIdentifierTable>
