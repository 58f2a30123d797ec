import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { ApiKeyTable } from './tables/api-key.js'
import type { AppSecretTable } from './tables/app-secret.js'
import type { CaptureJobTable } from './tables/capture-job.js'
import type { CaptureJobPartTable } from './tables/capture-job-part.js'
import type { CompanyPrefixTable } from './tables/company-prefix.js'
import type { DocumentContextTable } from './tables/document-context.js'
import type { EventIdentifierTable } from './tables/event-identifier.js'
import type { EventLinkTable } from './tables/event-link.js'
import type { EventTable } from './tables/event.js'
import type { EventFieldTable } from './tables/event-field.js'
import type { EventPersistentDispositionTable } from './tables/event-persistent-disposition.js'
import type { LedgerEntryTable } from './tables/ledger-entry.js'
import type { LedgerLeafTable } from './tables/ledger-leaf.js'
import type { NamedQueryTable } from './tables/named-query.js'
import type { OrganisationIdentifierTable } from './tables/organisation-identifier.js'
import type { OrganisationTable } from './tables/organisation.js'
import type { SensorReportTable } from './tables/sensor-report.js'
import type { VocabularyElementKeyTable } from './tables/vocabulary-element-key.js'
import type { ResolverLinkSetTable } from './tables/resolver-link-set.js'
import type { VocabularyElementSettingTable } from './tables/vocabulary-element-setting.js'
import type { LotMemberTable } from './tables/lot-member.js'
import type { VocabularyElementTable } from './tables/vocabulary-element.js'
import type { SubscriptionTable } from './tables/subscription.js'
import type { WebsocketTicketTable } from './tables/websocket-ticket.js'

export interface Database {
  api_key: ApiKeyTable
  app_secret: AppSecretTable
  capture_job: CaptureJobTable
  capture_job_part: CaptureJobPartTable
  company_prefix: CompanyPrefixTable
  document_context: DocumentContextTable
  event: EventTable
  event_identifier: EventIdentifierTable
  event_link: EventLinkTable
  event_field: EventFieldTable
  event_persistent_disposition: EventPersistentDispositionTable
  ledger_entry: LedgerEntryTable
  ledger_leaf: LedgerLeafTable
  named_query: NamedQueryTable
  organisation: OrganisationTable
  organisation_identifier: OrganisationIdentifierTable
  sensor_report: SensorReportTable
  vocabulary_element_key: VocabularyElementKeyTable
  resolver_link_set: ResolverLinkSetTable
  lot_member: LotMemberTable
  vocabulary_element: VocabularyElementTable
  vocabulary_element_setting: VocabularyElementSettingTable
  subscription: SubscriptionTable
  websocket_ticket: WebsocketTicketTable
}

export type Db = Kysely<Database>

const INT8_OID = 20

/**
 * int8 columns (bigserial keys, counts) are parsed to numbers: our keys stay far below 2^53.
 * numeric (quantities) stays a string so that no precision is lost.
 */
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID) return (value: string) => Number(value)
  return pg.types.getTypeParser(oid, format as 'text')
}

/** `statementTimeoutMs`: PostgreSQL cancels any statement of this pool that runs longer (0 or absent: never). */
export function createPool(connectionString: string, max = 10, statementTimeoutMs = 0): pg.Pool {
  return new pg.Pool({
    connectionString,
    max,
    types: { getTypeParser: typeParser } as pg.CustomTypesConfig,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
  })
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}
