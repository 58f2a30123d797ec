import type { Insertable, Selectable } from 'kysely'

export const eventPersistentDispositionTableName = 'event_persistent_disposition'

export interface EventPersistentDispositionTable {
  event_pk: number
  /** false: persistentDisposition.set; true: persistentDisposition.unset. */
  unset: boolean
  disposition: string
}

export type EventPersistentDispositionRow = Selectable<EventPersistentDispositionTable>
export type NewEventPersistentDisposition = Insertable<EventPersistentDispositionTable>
