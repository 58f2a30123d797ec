import type { Insertable, Selectable } from 'kysely'

export const eventFieldTableName = 'event_field'

/** Where an extension field sits in its event; the numbers are stored, keep them stable. */
export const FieldScope = {
  event: 0,
  ilmd: 1,
  errorDeclaration: 2,
  readPoint: 3,
  bizLocation: 4,
  sensorElement: 5,
  sensorMetadata: 6,
  sensorReport: 7,
} as const
export type FieldScope = (typeof FieldScope)[keyof typeof FieldScope]

export interface EventFieldTable {
  event_pk: number
  scope: number
  name: string
  nested: boolean
  sensor_element: number | null
  sensor_report: number | null
  value_text: string | null
  /** numeric: kept as a string so that no precision is lost. */
  value_num: string | null
  value_time: Date | null
}

export type EventFieldRow = Selectable<EventFieldTable>
export type NewEventField = Insertable<EventFieldTable>
