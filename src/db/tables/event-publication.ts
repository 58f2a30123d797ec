import type { ColumnType, Selectable } from 'kysely'

export const eventPublicationTableName = 'event_publication'

export const PUBLICATION_STATES = ['published', 'held', 'rejected'] as const
export type PublicationState = (typeof PUBLICATION_STATES)[number]

/** A row only for an event that was ever not published (no row: published). */
export interface EventPublicationTable {
  event_pk: number
  organisation_id: string | null
  state: PublicationState
  reasons: string[]
  details: ColumnType<Record<string, string[]>, string, string>
  held_at: ColumnType<Date, Date | undefined, Date>
  decided_at: Date | null
  change_seq: ColumnType<number, never, never>
}

export type EventPublicationRow = Selectable<EventPublicationTable>
