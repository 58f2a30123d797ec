import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { currentWorkClass, WORK_CLASSES, type WorkClass } from './work-class.js'
import { parseJsonExactly } from '../epcis/exact-json.js'
import { parseTimestamptz, TIMESTAMPTZ_OID } from './timestamp.js'
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
import type { EventProvenanceTable } from './tables/event-provenance.js'
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
import type { MasterDataOwnerTable } from './tables/master-data-owner.js'
import type { VocabularyElementTable } from './tables/vocabulary-element.js'
import type { SubscriptionTable } from './tables/subscription.js'
import type { WebsocketTicketTable } from './tables/websocket-ticket.js'
import type { LedgerRecordTable } from './tables/ledger-record.js'
import type { ProductCategoryTable } from './tables/product-category.js'
import type { ReportTable } from './tables/report.js'
import type { EventPublicationTable } from './tables/event-publication.js'
import type { PublicationRuleTable } from './tables/publication-rule.js'
import type { PublicationSettingTable } from './tables/publication-setting.js'
import type { PublicationDecisionTable } from './tables/publication-decision.js'
import type { PeerTable } from './tables/peer.js'

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
  event_provenance: EventProvenanceTable
  ledger_entry: LedgerEntryTable
  ledger_leaf: LedgerLeafTable
  named_query: NamedQueryTable
  organisation: OrganisationTable
  organisation_identifier: OrganisationIdentifierTable
  sensor_report: SensorReportTable
  vocabulary_element_key: VocabularyElementKeyTable
  resolver_link_set: ResolverLinkSetTable
  lot_member: LotMemberTable
  master_data_owner: MasterDataOwnerTable
  vocabulary_element: VocabularyElementTable
  vocabulary_element_setting: VocabularyElementSettingTable
  subscription: SubscriptionTable
  websocket_ticket: WebsocketTicketTable
  ledger_record: LedgerRecordTable
  product_category: ProductCategoryTable
  report: ReportTable
  event_publication: EventPublicationTable
  publication_rule: PublicationRuleTable
  publication_setting: PublicationSettingTable
  publication_decision: PublicationDecisionTable
  peer: PeerTable
}

export type Db = Kysely<Database>

const INT8_OID = 20
const JSON_OID = 114
const JSONB_OID = 3802

/**
 * int8 columns (bigserial keys, counts) are parsed to numbers: our keys stay far below 2^53.
 * numeric (quantities) stays a string so that no precision is lost. json and jsonb (event bodies) keep a
 * number a double cannot hold as its exact decimal text (an ExactNumber), as the capture parsed it. timestamptz
 * gives the Date pg would, read without its regular expressions.
 */
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID) return (value: string) => Number(value)
  if (oid === JSON_OID || oid === JSONB_OID) return parseJsonExactly
  if (oid === TIMESTAMPTZ_OID) return parseTimestamptz
  return pg.types.getTypeParser(oid, format as 'text')
}

/**
 * `statementTimeoutMs`: PostgreSQL cancels any statement of this pool that runs longer (0 or absent: never).
 * `connectionTimeoutMs`: how long a caller waits for a connection before an error (0 or absent: forever).
 */
export function createPool(connectionString: string, max = 10, statementTimeoutMs = 0, connectionTimeoutMs = 0): pg.Pool {
  return new pg.Pool({
    connectionString,
    max,
    types: { getTypeParser: typeParser } as pg.CustomTypesConfig,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    ...(connectionTimeoutMs > 0 ? { connectionTimeoutMillis: connectionTimeoutMs } : {}),
  })
}

export type PoolSizes = Record<WorkClass, number>

/** Health probes answer within this time or fail: they never wait long for a connection or a statement. */
const HEALTH_TIMEOUT_MS = 5000

/** One pool per class of work (see work-class.ts), so that a class that fills its pool does not delay the others. */
export function createPools(connectionString: string, sizes: PoolSizes, statementTimeoutMs = 0): Record<WorkClass, pg.Pool> {
  const pools = {} as Record<WorkClass, pg.Pool>
  for (const workClass of WORK_CLASSES) {
    pools[workClass] =
      workClass === 'health'
        ? createPool(connectionString, sizes.health, HEALTH_TIMEOUT_MS, HEALTH_TIMEOUT_MS)
        : createPool(connectionString, sizes[workClass], statementTimeoutMs)
  }
  return pools
}

/**
 * A pg.Pool that hands each caller a connection from the pool of its current class of work, so that the
 * code of every route and job keeps using one `app.db` / `app.pool`. Ending it ends every pool.
 */
export function routingPool(pools: Record<WorkClass, pg.Pool>): pg.Pool {
  return new Proxy(pools.default, {
    get(_target, property) {
      if (property === 'end') return () => Promise.all(Object.values(pools).map((pool) => pool.end())).then(() => undefined)
      const pool = pools[currentWorkClass()]
      const value = Reflect.get(pool, property, pool) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(pool) : value
    },
  })
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}
