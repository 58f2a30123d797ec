import type { ColumnType, Selectable } from 'kysely'

export const publicationRuleTableName = 'publication_rule'

/** Key data elements required for a business step and/or event type; `required` entries list alternatives with '|'. */
export interface PublicationRuleTable {
  id: string
  biz_step: string | null
  event_type: string | null
  required: string[]
  description: string | null
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export type PublicationRuleRow = Selectable<PublicationRuleTable>
