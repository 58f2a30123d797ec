import type { ColumnType, Selectable } from 'kysely'

export const websocketTicketTableName = 'websocket_ticket'

export interface WebsocketTicketTable {
  ticket_hash: Buffer
  organisation_id: string | null
  roles: string[]
  key_id: string | null
  subject: string
  expires_at: ColumnType<Date, string, never>
}

export type WebsocketTicketRow = Selectable<WebsocketTicketTable>
