import type { Insertable, Selectable } from 'kysely'

export const eventIdentifierTableName = 'event_identifier'

/** The role an identifier plays in its event; the numbers are stored, keep them stable. */
export const IdentifierRole = {
  epc: 1,
  parent: 2,
  child: 3,
  input: 4,
  output: 5,
  quantity: 11,
  childQuantity: 13,
  inputQuantity: 14,
  outputQuantity: 15,
} as const
export type IdentifierRole = (typeof IdentifierRole)[keyof typeof IdentifierRole]

export interface EventIdentifierTable {
  event_pk: number
  role: number
  identifier: string
  quantity: string | null
  uom: string | null
}

export type EventIdentifierRow = Selectable<EventIdentifierTable>
export type NewEventIdentifier = Insertable<EventIdentifierTable>
