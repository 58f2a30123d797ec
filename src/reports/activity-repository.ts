import { sql } from 'kysely'
import type { Database } from '../db/database.js'
import type { Transaction } from 'kysely'
import { categoryRows, lotOf, type CategoryMatcher } from './categories.js'
import { maskBit, maskColumns } from './event-scope.js'
import type { ReportScope } from './scope.js'

export { RECALLED } from './event-scope.js'

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

/**
 * Events by organisation, category (NULL: none of the categories), type and business step; then by type and step
 * alone. The events are grouped by their masks first (a few groups), then each group is counted in every category
 * its mask names.
 */
export async function eventCounts(db: Db, categories: CategoryMatcher[]): Promise<EventCountRow[]> {
  const masks = Array.from({ length: maskColumns(categories) }, (_, j) => sql.ref(`mask${j}`))
  const inCategory = (i: number) => {
    const { column, bit } = maskBit(i)
    return sql`${sql.ref(`g.${column}`)} & ${sql.lit(String(2n ** BigInt(bit)))}::bigint <> 0`
  }
  const named =
    categories.length === 0
      ? sql`SELECT NULL::text AS category WHERE false`
      : sql.join(
          categories.map((c, i) => sql`SELECT ${c.id}::text AS category WHERE ${inCategory(i)}`),
          sql` UNION ALL `,
        )
  const { rows } = await sql<EventCountRow>`
    WITH g AS (
      SELECT organisation_id, event_type, biz_step, ${sql.join(masks)}, count(*)::int AS events
      FROM report_ev GROUP BY organisation_id, event_type, biz_step, ${sql.join(masks)})
    SELECT false AS overall, g.organisation_id, c.category, g.event_type, g.biz_step, sum(g.events)::int AS events
    FROM g CROSS JOIN LATERAL (SELECT coalesce((SELECT array_agg(category) FROM (${named}) n), '{NULL}') AS categories) x
      CROSS JOIN LATERAL unnest(x.categories) AS c(category)
    GROUP BY 2, 3, 4, 5
    UNION ALL
    SELECT true, NULL, NULL, event_type, biz_step, sum(events)::int FROM g GROUP BY 4, 5
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
    SELECT organisation_id, count(*)::int AS events, min(event_time) AS first_event, max(event_time) AS last_event
    FROM report_ev GROUP BY 1 ORDER BY 1`.execute(db)
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
  // The planner takes every key for distinct and would sort the events and lot members to find a few thousand keys:
  // hashing them is what this statement needs.
  await sql`SET LOCAL enable_sort = off`.execute(db)
  const { rows } = await keyCountsQuery(scope, categories).execute(db)
  await sql`SET LOCAL enable_sort = on`.execute(db)
  return rows
}

/** The statement keyCounts runs (exported for EXPLAIN). */
export function keyCountsQuery(scope: ReportScope, categories: CategoryMatcher[]) {
  const cats = categories.length === 0 ? sql`(SELECT NULL::text AS id, '{}'::text[] AS gtins, '{}'::text[] AS prefixes WHERE false) AS c` : categoryRows(categories)
  const join = scope.category === undefined ? sql`LEFT JOIN` : sql`JOIN`
  return sql<KeyCountRow>`
    WITH k AS (
      SELECT DISTINCT ev.organisation_id AS org, ev.gtin, ev.lot FROM report_ev ev WHERE ev.gtin IS NOT NULL
      UNION
      SELECT DISTINCT ev.organisation_id, substr(ei.identifier, 23, 14), ${lotOf(sql.ref('ei.identifier'))}
      FROM report_ev ev JOIN event_identifier ei ON ei.event_pk = ev.id
      WHERE ev.several_keys AND ei.identifier LIKE 'https://id.gs1.org/01/%'
      UNION
      SELECT DISTINCT ev.organisation_id, substr(lm.lot, 23, 14), lm.lot FROM report_ev ev JOIN lot_member lm ON lm.event_pk = ev.id)
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
    SELECT e.event_id, ev.organisation_id, ev.event_time, e.biz_location,
      array(SELECT DISTINCT ei.identifier FROM event_identifier ei WHERE ei.event_pk = ev.id ORDER BY 1) AS identifiers
    FROM report_ev ev JOIN event e ON e.id = ev.id
    WHERE ev.recalled
    ORDER BY ev.event_time, e.event_id LIMIT ${limit}`.execute(db)
  return rows
}
