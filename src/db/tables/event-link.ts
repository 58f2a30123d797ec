import type { Insertable, Selectable } from 'kysely'

export const eventLinkTableName = 'event_link'

/** Which typed list a link comes from; the numbers are stored, keep them stable. */
export const LinkKind = { bizTransaction: 1, source: 2, destination: 3 } as const
export type LinkKind = (typeof LinkKind)[keyof typeof LinkKind]

export interface EventLinkTable {
  event_pk: number
  kind: number
  type: string | null
  value: string
}

export type EventLinkRow = Selectable<EventLinkTable>
export type NewEventLink = Insertable<EventLinkTable>
