import type { ColumnType, Insertable, Selectable } from 'kysely'

export const resolverLinkSetTableName = 'resolver_link_set'

/** One registered link, as stored in resolver_link_set.links. */
export interface StoredResolverLink {
  linkType: string
  href: string
  title: string
  type?: string
  hreflang?: string[]
  context?: string[]
  /** false: the request's query string is not passed on. */
  fwqs?: boolean
}

export interface ResolverLinkSetTable {
  /** Canonical Digital Link path of the key level, e.g. /01/09506000134352/10/LOT1. */
  identifier: string
  item_description: string
  default_link_type: string | null
  links: ColumnType<StoredResolverLink[], string, string>
  /** The organisation that set the links; null when set by an operator key or before migration 0008. */
  organisation_id: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export type ResolverLinkSetRow = Selectable<ResolverLinkSetTable>
export type NewResolverLinkSet = Insertable<ResolverLinkSetTable>
