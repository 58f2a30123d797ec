import type { ColumnType, Insertable, Selectable } from 'kysely'

export const peerTableName = 'peer'

export type PeerDirection = 'push' | 'pull'
export type CredentialsKind = 'bearer' | 'oauth2'

export interface PeerTable {
  id: string
  name: string
  base_url: string
  direction: PeerDirection
  credentials_kind: CredentialsKind
  /** iv || tag || AES-256-GCM ciphertext (src/federation/credentials.ts). */
  credentials: Buffer
  credentials_key_id: string
  query: ColumnType<Record<string, unknown>, string, string>
  initial_record_time: ColumnType<Date, string, string>
  pull_interval_ms: number
  send_everything: boolean
  subscription_id: string | null
  created_at: ColumnType<Date, string | undefined, never>
  updated_at: ColumnType<Date, string | undefined, string>
  events_sent: ColumnType<number, number | undefined, number>
  events_received: ColumnType<number, number | undefined, number>
  last_success_at: ColumnType<Date | null, string | null | undefined, string | null>
  last_error: ColumnType<string | null, string | null | undefined, string | null>
  failing_since: ColumnType<Date | null, string | null | undefined, string | null>
  pull_cursor: ColumnType<Date | null, string | null | undefined, string | null>
  last_pull_started_at: ColumnType<Date | null, string | null | undefined, string | null>
  next_pull_at: ColumnType<Date | null, string | null | undefined, string | null>
  pull_failures: ColumnType<number, number | undefined, number>
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>
  lease_expires_at: ColumnType<Date | null, string | null | undefined, string | null>
  /** Push: the change_seq (event_publication) of the last decision whose published events were sent (migration 0036). */
  decision_cursor: ColumnType<number, number | undefined, number>
}

export type PeerRow = Selectable<PeerTable>
export type NewPeer = Insertable<PeerTable>
