import type { ColumnType, Insertable, Selectable } from 'kysely'

export const eventProvenanceTableName = 'event_provenance'

/** Provenance of an event that came from elsewhere (migrations/0033_event_provenance.sql). */
export interface EventProvenanceTable {
  event_pk: number
  source_peer: string | null
  source_api_key: string | null
  origin_organisation: string | null
  origin_organisation_id: string | null
  origin_repository: string | null
  origin_record_time: ColumnType<Date | null, string | null, never>
}

export type EventProvenanceRow = Selectable<EventProvenanceTable>
export type NewEventProvenance = Insertable<EventProvenanceTable>
