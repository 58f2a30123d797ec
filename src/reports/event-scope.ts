import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { categoryRows, inCategory, lotOf, type CategoryMatcher } from './categories.js'
import { provenanceJoin, recordingOrganisation } from './recording-organisation.js'
import type { ReportScope } from './scope.js'

/**
 * The events of the scope: eventTime in the period, no error declaration and none that a declaration in effect
 * names (src/security/declarations.ts; written as an anti-join against the few declaration rows rather than one
 * lookup per event), `extra` (a condition on `e`) holding, recorded by the scope's organisation when it names one.
 * Their organisation_id is the organisation that recorded them (recording-organisation.ts), not a forwarder.
 */
function eventRows(scope: ReportScope, extra: RawBuilder<unknown>): RawBuilder<unknown> {
  const recorder = recordingOrganisation('e', 'p')
  const organisation = scope.organization === undefined ? sql`true` : sql`${recorder} = ${scope.organization}`
  return sql`
    SELECT e.id, e.event_id, e.event_time, ${recorder} AS organisation_id, e.event_type, e.biz_step, e.disposition
    FROM event e ${provenanceJoin('e', 'p')}
    WHERE e.event_time >= ${scope.from} AND e.event_time < ${scope.to} AND e.error_declaration_time IS NULL
      AND ${organisation} AND ${extra}
      AND NOT EXISTS (SELECT 1 FROM event d WHERE d.error_declaration_time IS NOT NULL AND d.event_id = e.event_id
        AND (d.declares_for_all OR d.organisation_id = e.organisation_id))`
}

/**
 * (event_pk, category) for each category one of the event's identifiers belongs to. Identifiers are matched by
 * their first 40 characters (enough for a GTIN, an SSCC, a GRAI or a GLN and so every company prefix), each distinct
 * head once, so that the serials of a product cost one hash join and not one pattern match each.
 */
function categoryRowsOf(events: RawBuilder<unknown>, categories: CategoryMatcher[], named?: RawBuilder<unknown>): RawBuilder<unknown> {
  if (categories.length === 0) return sql`SELECT NULL::bigint AS event_pk, NULL::text AS category WHERE false`
  const heads = named ?? sql`(SELECT ei.event_pk, left(ei.identifier, 40) AS head FROM ${events} x JOIN event_identifier ei ON ei.event_pk = x.id)`
  return sql`
    WITH named AS MATERIALIZED (SELECT event_pk, head FROM ${heads} AS n),
    heads AS (
      SELECT h.head, c.id AS category FROM (SELECT DISTINCT head FROM named) h CROSS JOIN ${categoryRows(categories)}
      WHERE ${inCategory(sql.ref('h.head'))})
    SELECT DISTINCT named.event_pk, heads.category FROM named JOIN heads ON heads.head = named.head`
}

/**
 * The events a report counts, as CTEs `ev` (id, event_id, event_time, organisation_id, event_type, biz_step,
 * disposition) and `ec` (event_pk, category), restricted to the scope's category when it names one.
 */
export function scopedEvents(scope: ReportScope, categories: CategoryMatcher[], extra: RawBuilder<unknown> = sql`true`): RawBuilder<unknown> {
  const inScope = scope.category === undefined ? sql`true` : sql`EXISTS (SELECT 1 FROM ec WHERE ec.event_pk = ev0.id)`
  return sql`ev0 AS MATERIALIZED (${eventRows(scope, extra)}),
    ec AS MATERIALIZED (${categoryRowsOf(sql`ev0`, categories)}),
    ev AS (SELECT * FROM ev0 WHERE ${inScope})`
}

/**
 * The same events kept in temporary tables for the rest of the transaction (report_ev, report_ec, and report_named:
 * event_pk, org, head, lot of each identifier they name), for a report that reads them several times: then
 * `scopeTables` gives the CTEs `ev` and `ec` over them.
 */
export async function materialiseScope(trx: Transaction<Database>, scope: ReportScope, categories: CategoryMatcher[]): Promise<void> {
  await reportSession(trx)
  await sql`CREATE TEMP TABLE report_ev ON COMMIT DROP AS ${eventRows(scope, sql`true`)}`.execute(trx)
  // The events' identifiers are read once: their heads give the categories, and with the GTINs and lots they give
  // the products and lots each organisation traced.
  await sql`CREATE TEMP TABLE report_named ON COMMIT DROP AS
    SELECT ei.event_pk, x.organisation_id AS org, left(ei.identifier, 40) AS head, ${lotOf(sql.ref('ei.identifier'))} AS lot
    FROM report_ev x JOIN event_identifier ei ON ei.event_pk = x.id`.execute(trx)
  await sql`CREATE TEMP TABLE report_ec ON COMMIT DROP AS ${categoryRowsOf(sql`report_ev`, categories, sql`report_named`)}`.execute(trx)
  if (scope.category !== undefined) {
    await sql`DELETE FROM report_ev WHERE NOT EXISTS (SELECT 1 FROM report_ec WHERE report_ec.event_pk = report_ev.id)`.execute(trx)
    await sql`DELETE FROM report_named WHERE NOT EXISTS (SELECT 1 FROM report_ec WHERE report_ec.event_pk = report_named.event_pk)`.execute(trx)
  }
  await sql`ANALYZE report_ev`.execute(trx)
  await sql`ANALYZE report_named`.execute(trx)
  await sql`ANALYZE report_ec`.execute(trx)
}

export const scopeTables = sql`ev AS (SELECT * FROM report_ev), ec AS (SELECT * FROM report_ec)`

/** A report's transaction hashes and sorts a month of events: memory for that, as the traceability walk takes. */
export async function reportSession(trx: Transaction<Database>): Promise<void> {
  await sql`SET LOCAL work_mem = '128MB'`.execute(trx)
}
