import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

export const eventTableName = 'event'

export interface EventTable {
  id: Generated<number>
  event_id: string
  event_hash: string | null
  event_type: string
  event_time: ColumnType<Date, string, never>
  event_time_zone_offset: string
  record_time: ColumnType<Date, string | undefined, never>
  action: string | null
  biz_step: string | null
  disposition: string | null
  read_point: string | null
  biz_location: string | null
  transformation_id: string | null
  error_declaration_time: ColumnType<Date | null, string | null, string | null>
  error_reason: string | null
  capture_job_id: number | null
  context_id: number | null
  body: ColumnType<Record<string, unknown>, string, never>
  extensions: ColumnType<Record<string, unknown> | null, string | null, never>
  /** The organisation that captured it (null: stored before migration 0008 or by an operator key). */
  organisation_id: ColumnType<string | null, string | null | undefined, never>
  /** An error declaration captured by an operator, admin or authority: it takes effect whoever captured the event. */
  declares_for_all: ColumnType<boolean, boolean | undefined, never>
}

export type EventRow = Selectable<EventTable>
export type NewEvent = Insertable<EventTable>
