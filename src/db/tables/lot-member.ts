import type { Insertable, Selectable } from 'kysely'

export const lotMemberTableName = 'lot_member'

/** A serialised instance (canonical key) stated by an event to belong to a lot (canonical LGTIN key). */
export interface LotMemberTable {
  event_pk: number
  instance: string
  lot: string
}

export type LotMemberRow = Selectable<LotMemberTable>
export type NewLotMember = Insertable<LotMemberTable>
