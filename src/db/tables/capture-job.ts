import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

export const captureJobTableName = 'capture_job'

export type CaptureJobStatus = 'queued' | 'running' | 'succeeded' | 'failed'
export type CaptureErrorBehaviour = 'rollback' | 'proceed'

export interface CaptureJobTable {
  id: Generated<number>
  capture_id: string
  status: ColumnType<CaptureJobStatus, CaptureJobStatus | undefined, CaptureJobStatus>
  error_behaviour: CaptureErrorBehaviour
  document: string | null
  event_count: number
  stored_count: ColumnType<number, number | undefined, number>
  duplicate_count: ColumnType<number, number | undefined, number>
  errors: ColumnType<unknown[], string | undefined, string>
  attempts: ColumnType<number, number | undefined, number>
  created_at: ColumnType<Date, Date | undefined, never>
  started_at: Date | null
  finished_at: Date | null
  /** The organisation that submitted it (null: before migration 0008 or an operator key). */
  organisation_id: ColumnType<string | null, string | null | undefined, never>
  /** Submitted by an operator, admin or authority: its error declarations take effect on every organisation's events. */
  declares_for_all: ColumnType<boolean, boolean | undefined, never>
  /** The API key that submitted it (null: a JWT, the operator key, or before migration 0033). */
  source_api_key: ColumnType<string | null, string | null | undefined, never>
  /** The peer a pulled job was fetched from, and that peer's EPCIS root (null: not pulled). */
  source_peer: ColumnType<string | null, string | null | undefined, never>
  source_repository: ColumnType<string | null, string | null | undefined, never>
  /** The provenance its document claims (epcisHeader "nguon:provenance") is believed: src/federation/provenance-trust.ts. */
  asserts_provenance: ColumnType<boolean, boolean | undefined, never>
  /** Its events wait in capture_staged_event (false: in capture_job_part or its document, accepted before migration 0030). */
  staged: ColumnType<boolean, boolean | undefined, boolean>
  /** The GS1 Company Prefixes its events spell out. */
  company_prefixes: ColumnType<string[], string[] | undefined, string[]>
}

export type CaptureJobRow = Selectable<CaptureJobTable>
export type NewCaptureJob = Insertable<CaptureJobTable>
