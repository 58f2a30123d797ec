import { sql, type RawBuilder } from 'kysely'
import { declaredErroneous } from '../security/declarations.js'
import { categoryRows, inCategory, type CategoryMatcher } from './categories.js'
import type { ReportScope } from './scope.js'

/**
 * The events a report counts, as CTEs `ev` (id, event_id, event_time, organisation_id, event_type, biz_step,
 * disposition) and `ec` (event_pk, category: each category one of the event's identifiers belongs to):
 * eventTime in the period, no error declaration and none declared erroneous, `extra` (a condition on `e`)
 * holding, and when the scope names them, captured by the organisation and in the category.
 */
export function scopedEvents(scope: ReportScope, categories: CategoryMatcher[], extra: RawBuilder<unknown> = sql`true`): RawBuilder<unknown> {
  const organisation = scope.organization === undefined ? sql`true` : sql`e.organisation_id = ${scope.organization}`
  const categorised = categories.length === 0
    ? sql`ec AS (SELECT NULL::bigint AS event_pk, NULL::text AS category WHERE false)`
    : sql`ec AS MATERIALIZED (
        SELECT DISTINCT ei.event_pk, c.id AS category
        FROM ev0 JOIN event_identifier ei ON ei.event_pk = ev0.id CROSS JOIN ${categoryRows(categories)}
        WHERE ${inCategory(sql.ref('ei.identifier'))})`
  const inScope = scope.category === undefined ? sql`true` : sql`EXISTS (SELECT 1 FROM ec WHERE ec.event_pk = ev0.id)`
  return sql`ev0 AS MATERIALIZED (
      SELECT e.id, e.event_id, e.event_time, e.organisation_id, e.event_type, e.biz_step, e.disposition
      FROM event e
      WHERE e.event_time >= ${scope.from} AND e.event_time < ${scope.to} AND e.error_declaration_time IS NULL
        AND ${organisation} AND ${extra} AND NOT ${declaredErroneous('e')}),
    ${categorised},
    ev AS (SELECT * FROM ev0 WHERE ${inScope})`
}
