import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { categoryRows, gtinOf, inCategory, lotOf, prefixDigits, type CategoryMatcher } from './categories.js'
import { provenanceJoin, recordingOrganisation } from './recording-organisation.js'
import type { ReportScope } from './scope.js'

/**
 * The events of the scope: eventTime in the period, no error declaration and none that a declaration in effect
 * names (src/security/declarations.ts; written as an anti-join against the few declaration rows rather than one
 * lookup per event), `extra` (a condition on `e`) holding, recorded by the scope's organisation when it names one.
 * Their organisation_id is the organisation that recorded them (recording-organisation.ts), not a forwarder.
 */
export function eventRows(scope: ReportScope, extra: RawBuilder<unknown>): RawBuilder<unknown> {
  const elsewhere = scope.recordedElsewhere !== false
  const recorder = elsewhere ? recordingOrganisation('e', 'p') : sql`e.organisation_id`
  const organisation = scope.organization === undefined ? sql`true` : sql`${recorder} = ${scope.organization}`
  return sql`
    SELECT e.id, e.event_id, e.event_time, ${recorder} AS organisation_id, e.event_type, e.biz_step, e.disposition
    FROM event e ${elsewhere ? provenanceJoin('e', 'p') : sql``}
    WHERE e.event_time >= ${scope.from} AND e.event_time < ${scope.to} AND e.error_declaration_time IS NULL
      AND ${organisation} AND ${extra} AND ${notDeclared}`
}

/**
 * No declaration in effect names the event under `e`. The few declared eventIDs are a hashed set each event is
 * probed against, and only an event found there is checked precisely: written as NOT EXISTS alone, the planner
 * hashes the month's events (a million rows) to anti-join them against no declaration at all.
 */
const notDeclared = sql`(e.event_id NOT IN (SELECT d.event_id FROM event d WHERE d.error_declaration_time IS NOT NULL)
  OR NOT EXISTS (SELECT 1 FROM event d WHERE d.error_declaration_time IS NOT NULL AND d.event_id = e.event_id
    AND (d.declares_for_all OR d.organisation_id = e.organisation_id)))`

/**
 * (event_pk, category) for each category one of the event's identifiers belongs to. Identifiers are matched by
 * their first 40 characters (enough for a GTIN, an SSCC, a GRAI or a GLN and so every company prefix), each distinct
 * head once, so that the serials of a product cost one hash join and not one pattern match each.
 */
function categoryRowsOf(events: RawBuilder<unknown>, categories: CategoryMatcher[]): RawBuilder<unknown> {
  if (categories.length === 0) return sql`SELECT NULL::bigint AS event_pk, NULL::text AS category WHERE false`
  // Through the index, event by event: the events checked are a part of the month (its receipts, its shipments).
  const heads = sql`(SELECT x.id AS event_pk, ei.head FROM ${events} x
      CROSS JOIN LATERAL (SELECT left(i.identifier, 40) AS head FROM event_identifier i WHERE i.event_pk = x.id) ei)`
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

/** The recalled disposition (CBV). */
export const RECALLED = 'https://ref.gs1.org/cbv/Disp-recalled'

/** Categories per mask column: bit i of column j is category 63 j + i (a bigint holds 63 of them). */
const PER_MASK = 63

export const maskColumns = (categories: CategoryMatcher[]) => Math.max(1, Math.ceil(categories.length / PER_MASK))

/** Column j and bit of the mask that says whether an event is in category i. */
export const maskBit = (i: number) => ({ column: `mask${Math.floor(i / PER_MASK)}`, bit: i % PER_MASK })

/**
 * The events of the scope kept in a temporary table for the rest of the transaction, one row each: report_ev (id,
 * event_time, organisation_id, event_type, biz_step, recalled, mask0…, gtin, lot, several_keys) where the masks say
 * which categories the event's identifiers belong to (maskBit), and gtin and lot are the one GTIN and the one lot its
 * GS1 keys name (most events move one product), several_keys true when they name more (read again for those). One pass: the month's events merge-joined with their identifiers in key
 * order and grouped per event as they stream by, each identifier tested once against the categories (hashing the
 * identifiers or a million events costs twice as much, so hash joins and hash aggregation are off for this statement).
 */
export async function materialiseScope(trx: Transaction<Database>, scope: ReportScope, categories: CategoryMatcher[]): Promise<void> {
  await reportSession(trx)
  const masks = Array.from({ length: maskColumns(categories) }, (_, j) => {
    const bits = categories
      .map((c, i) => ({ c, i }))
      .filter(({ i }) => maskBit(i).column === `mask${j}`)
      .map(({ c, i }) => sql`CASE WHEN i.gtin = ANY(${c.gtins}::text[]) OR i.digits LIKE ANY(${c.companyPrefixes.map((p) => `${p}%`)}::text[]) THEN ${sql.lit(String(2n ** BigInt(maskBit(i).bit)))}::bigint ELSE 0 END`)
    const value = bits.length === 0 ? sql`0::bigint` : sql.join(bits, sql` | `)
    return sql`coalesce(bit_or(${value}), 0) AS ${sql.ref(`mask${j}`)}`
  })
  await sql`SET LOCAL enable_hashjoin = off; SET LOCAL enable_hashagg = off`.execute(trx)
  await sql`CREATE TEMP TABLE report_ev ON COMMIT DROP AS
    SELECT e.id, e.event_time, e.organisation_id, e.event_type, e.biz_step, e.disposition = ${RECALLED} AS recalled, ${sql.join(masks)},
      CASE WHEN min(i.gtin) = max(i.gtin) AND min(i.lot) IS NOT DISTINCT FROM max(i.lot) THEN min(i.gtin) END AS gtin,
      CASE WHEN min(i.gtin) = max(i.gtin) THEN min(i.lot) END AS lot,
      min(i.gtin) <> max(i.gtin) OR min(i.lot) <> max(i.lot) AS several_keys
    FROM (${eventRows(scope, sql`true`)}) e
    LEFT JOIN (
      SELECT ei.event_pk, ${gtinOf(sql.ref('ei.identifier'))} AS gtin, ${prefixDigits(sql.ref('ei.identifier'))} AS digits,
        ${lotOf(sql.ref('ei.identifier'))} AS lot
      FROM event_identifier ei
      -- The keys of the period's events bound the identifiers read in key order (not the whole index before them).
      WHERE ei.event_pk BETWEEN (SELECT min(p.id) FROM event p WHERE p.event_time >= ${scope.from} AND p.event_time < ${scope.to})
        AND (SELECT max(p.id) FROM event p WHERE p.event_time >= ${scope.from} AND p.event_time < ${scope.to})) i ON i.event_pk = e.id
    GROUP BY e.id, e.event_time, e.organisation_id, e.event_type, e.biz_step, e.disposition`.execute(trx)
  await sql`SET LOCAL enable_hashjoin = on; SET LOCAL enable_hashagg = on`.execute(trx)
  if (scope.category !== undefined) {
    const { column, bit } = maskBit(0)
    await sql`DELETE FROM report_ev WHERE ${sql.ref(column)} & ${sql.lit(String(2n ** BigInt(bit)))}::bigint = 0`.execute(trx)
  }
  await sql`ANALYZE report_ev`.execute(trx)
}

/** A report's transaction hashes and sorts a month of events: memory for that, as the traceability walk takes. */
export async function reportSession(trx: Transaction<Database>): Promise<void> {
  await sql`SET LOCAL work_mem = '128MB'`.execute(trx)
}
