import { sql } from 'kysely'
import type { Database } from '../db/database.js'
import type { Transaction } from 'kysely'
import { categoryRows, gtinOf, type CategoryMatcher } from './categories.js'
import { scopeTables } from './event-scope.js'
import type { ReportScope } from './scope.js'

export const RECALLED = 'https://ref.gs1.org/cbv/Disp-recalled'

export interface EventCountRow {
  /** true on the rows by type and step only, each event counted once */
  overall: boolean
  organisation_id: string | null
  category: string | null
  event_type: string
  biz_step: string | null
  events: number
}

type Db = Transaction<Database>

/**
 * The statements of the activity report, over the scope's events kept by materialiseScope (src/reports/event-scope.ts)
 * in the caller's transaction.
 */

/** Events by organisation, category (NULL: none of the categories), type and business step; then by type and step alone. */
export async function eventCounts(db: Db): Promise<EventCountRow[]> {
  const { rows } = await sql<EventCountRow>`
    WITH ${scopeTables}
    SELECT false AS overall, ev.organisation_id, ec.category, ev.event_type, ev.biz_step, count(*)::int AS events
    FROM ev LEFT JOIN ec ON ec.event_pk = ev.id
    GROUP BY 2, 3, 4, 5
    UNION ALL
    SELECT true, NULL, NULL, ev.event_type, ev.biz_step, count(*)::int FROM ev GROUP BY 4, 5
    ORDER BY 1, 2, 3, 4, 5`.execute(db)
  return rows
}

export interface OrganisationTotalRow {
  organisation_id: string | null
  events: number
  first_event: Date
  last_event: Date
}

/** Each organisation's events, each counted once whatever its categories. */
export async function organisationTotals(db: Db): Promise<OrganisationTotalRow[]> {
  const { rows } = await sql<OrganisationTotalRow>`
    WITH ${scopeTables}
    SELECT organisation_id, count(*)::int AS events, min(event_time) AS first_event, max(event_time) AS last_event
    FROM ev GROUP BY 1 ORDER BY 1`.execute(db)
  return rows
}

export interface KeyCountRow {
  /** true on the row over every organisation */
  all_organisations: boolean
  organisation_id: string | null
  /** true on an organisation's row over every category */
  all_categories: boolean
  category: string | null
  gtins: number
  lots: number
}

/**
 * Distinct GTINs and lots (LGTIN keys, Digital Links with a lot, lots an event's ILMD states) the events name, by
 * organisation and by the category of the GTIN; also over all categories and all organisations. The lot of a serial
 * counts where an event states it (its commissioning), not at every later step: looking up the lot of every serial
 * named in a month costs more than the rest of the report.
 */
export async function keyCounts(db: Db, scope: ReportScope, categories: CategoryMatcher[]): Promise<KeyCountRow[]> {
  const { rows } = await keyCountsQuery(scope, categories).execute(db)
  return rows
}

/** The statement keyCounts runs (exported for EXPLAIN). */
export function keyCountsQuery(scope: ReportScope, categories: CategoryMatcher[]) {
  const cats = categories.length === 0 ? sql`(SELECT NULL::text AS id, '{}'::text[] AS gtins, '{}'::text[] AS prefixes WHERE false) AS c` : categoryRows(categories)
  const join = scope.category === undefined ? sql`LEFT JOIN` : sql`JOIN`
  return sql<KeyCountRow>`
    WITH ${scopeTables},
    k AS (
      SELECT DISTINCT n.org, ${gtinOf(sql.ref('n.head'))} AS gtin, n.lot FROM report_named n
      WHERE left(n.head, 22) = 'https://id.gs1.org/01/'
      UNION
      SELECT ev.organisation_id, substr(lm.lot, 23, 14), lm.lot FROM ev JOIN lot_member lm ON lm.event_pk = ev.id)
    SELECT GROUPING(k.org) = 1 AS all_organisations, k.org AS organisation_id,
      GROUPING(c.id) = 1 AS all_categories, c.id AS category,
      count(DISTINCT k.gtin)::int AS gtins, count(DISTINCT k.lot)::int AS lots
    FROM k ${join} ${cats} ON (k.gtin = ANY(c.gtins) OR substr(k.gtin, 2) LIKE ANY(c.prefixes))
    GROUP BY GROUPING SETS ((k.org, c.id), (k.org), ())`
}

export interface RecallEventRow {
  event_id: string
  organisation_id: string | null
  event_time: Date
  biz_location: string | null
  identifiers: string[]
}

/** Events with the recalled disposition in the scope, with the identifiers they name (at most `limit`). */
export async function recallEvents(db: Db, limit: number): Promise<RecallEventRow[]> {
  const { rows } = await sql<RecallEventRow>`
    WITH ${scopeTables}
    SELECT ev.event_id, ev.organisation_id, ev.event_time, e.biz_location,
      array(SELECT DISTINCT ei.identifier FROM event_identifier ei WHERE ei.event_pk = ev.id ORDER BY 1) AS identifiers
    FROM ev JOIN event e ON e.id = ev.id
    WHERE ev.disposition = ${RECALLED}
    ORDER BY ev.event_time, ev.event_id LIMIT ${limit}`.execute(db)
  return rows
}
