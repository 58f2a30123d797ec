import type { ColumnType, Insertable, Selectable } from 'kysely'

export const subscriptionTableName = 'subscription'

export interface SubscriptionTable {
  id: string
  query_name: string
  organisation_id: string | null
  sees_everything: boolean
  dest: string
  signature_token: string | null
  stream: boolean
  schedule: ColumnType<Record<string, string> | null, string | null, string | null>
  report_if_empty: boolean
  epc_format: string
  cbv_xml_format: string
  initial_record_time: ColumnType<Date, string, never>
  created_at: ColumnType<Date, string | undefined, never>
  /** xid8 as text. */
  after_xid: string
  after_pk: number
  min_record_time: ColumnType<Date, string, string>
  last_notified_at: ColumnType<Date | null, string | null, string | null>
  next_attempt_at: ColumnType<Date | null, string | null, string | null>
  failure_count: ColumnType<number, number | undefined, number>
  failing_since: ColumnType<Date | null, string | null | undefined, string | null>
  last_error: string | null
  batch_size: number | null
  lease_owner: string | null
  lease_expires_at: ColumnType<Date | null, string | null | undefined, string | null>
  /** null: a webhook (dest); otherwise the kind of a destination registered with the engine ('peer'). */
  destination_kind: ColumnType<string | null, string | null | undefined, string | null>
}

export type SubscriptionRow = Selectable<SubscriptionTable>
export type NewSubscription = Insertable<SubscriptionTable>
