import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.js'
import { LinkKind } from '../db/tables/event-link.js'
import { declaredErroneous } from '../security/declarations.js'
import { categoryRows, inCategory, type CategoryMatcher } from './categories.js'
import { eventRows, reportSession, scopedEvents } from './event-scope.js'
import { provenanceJoin, recordingOrganisation } from './recording-organisation.js'
import type { ReportScope } from './scope.js'

const STEP = (name: string) => `https://ref.gs1.org/cbv/BizStep-${name}`
export const SHIPPING = STEP('shipping')
export const RECEIVING = STEP('receiving')
export const RETAIL_SELLING = STEP('retail_selling')
export const COMMISSIONING = STEP('commissioning')

/** Roles of what an event moves: epcList and quantityList. */
const MOVED = sql.raw('1, 11')

/** A usable event row under `alias`: no declaration, not declared erroneous. */
const usable = (alias: string) => sql`${sql.ref(`${alias}.error_declaration_time`)} IS NULL AND NOT ${declaredErroneous(alias)}`

/** The party of one side of the event under `ev`: owning party first, then possessing party, then location. */
function partyOf(kind: number): RawBuilder<string | null> {
  return sql<string | null>`(SELECT l.value FROM event_link l WHERE l.event_pk = ev.id AND l.kind = ${kind}
    ORDER BY CASE l.type WHEN 'https://ref.gs1.org/cbv/SDT-owning_party' THEN 0 WHEN 'https://ref.gs1.org/cbv/SDT-possessing_party' THEN 1
      WHEN 'https://ref.gs1.org/cbv/SDT-location' THEN 2 ELSE 3 END, l.value LIMIT 1)`
}

export interface LinkCheckRow {
  /** the party whose step is checked (the source of a receipt, the destination of a shipment) */
  party: string
  /** the categories of the checked event's identifiers */
  categories: string[]
  total: number
  complete: number
}

export interface LinkGapRow {
  event_id: string
  event_time: Date
  organisation_id: string | null
  party: string
  identifiers: string[]
}

export interface LinkChecks {
  counts: LinkCheckRow[]
  gaps: LinkGapRow[]
}

/**
 * One step before, one step after: each receipt in the scope against a shipment of one of its items recorded no
 * later from the same source (a shared sourceList value: `missing-shipping`, the source's step), or each shipment
 * against a receipt of one of its items recorded no earlier at the same destination (a shared destinationList
 * value: `missing-receiving`, the destination's step). Receipts without a source and shipments without a
 * destination name nobody and are not checked.
 */
export async function linkChecks(db: Db, scope: ReportScope, categories: CategoryMatcher[], side: 'receipts' | 'shipments'): Promise<LinkChecks> {
  const receipts = side === 'receipts'
  const step = receipts ? RECEIVING : SHIPPING
  const counterpart = receipts ? SHIPPING : RECEIVING
  const order = receipts ? sql`o.event_time <= ev.event_time` : sql`o.event_time >= ev.event_time`
  const sideKind = receipts ? LinkKind.source : LinkKind.destination
  const { rows } = await db.transaction().execute(async (trx) => {
    await reportSession(trx)
    return sql<LinkGapRow & { categories: string[] | null; complete: boolean; gap_row: boolean; total: number }>`
    WITH ${scopedEvents({ ...scope, organization: undefined }, categories, sql`e.biz_step = ${step}`)},
    checked AS MATERIALIZED (
      SELECT ev.id, ev.event_id, ev.event_time, ev.organisation_id, ${partyOf(sideKind)} AS party,
        EXISTS (
          SELECT 1 FROM event_identifier mine
          JOIN event_identifier theirs ON theirs.identifier = mine.identifier AND theirs.role IN (${MOVED})
          JOIN event o ON o.id = theirs.event_pk
          WHERE mine.event_pk = ev.id AND mine.role IN (${MOVED}) AND o.biz_step = ${counterpart} AND ${order} AND ${usable('o')}
            AND EXISTS (SELECT 1 FROM event_link ml JOIN event_link ol ON ol.value = ml.value AND ol.kind = ml.kind
              WHERE ml.event_pk = ev.id AND ml.kind = ${sideKind} AND ol.event_pk = o.id)
        ) AS complete
      FROM ev)
    SELECT ch.party, ch.categories, ch.complete, false AS gap_row, count(*)::int AS total, NULL AS event_id, NULL::timestamptz AS event_time,
      NULL AS organisation_id, NULL::text[] AS identifiers
    FROM (SELECT c.*, coalesce(cats.categories, '{}') AS categories FROM checked c
      LEFT JOIN (SELECT ec.event_pk, array_agg(ec.category ORDER BY ec.category) AS categories FROM ec GROUP BY 1) cats ON cats.event_pk = c.id) ch
    WHERE ch.party IS NOT NULL GROUP BY 1, 2, 3
    UNION ALL
    SELECT ch.party, NULL::text[], false, true, 1, ch.event_id, ch.event_time, ch.organisation_id,
      array(SELECT DISTINCT i.identifier FROM event_identifier i WHERE i.event_pk = ch.id AND i.role IN (${MOVED}) ORDER BY 1)
    FROM checked ch WHERE ch.party IS NOT NULL AND NOT ch.complete`.execute(trx)
  })
  const counts = new Map<string, LinkCheckRow>()
  const gaps: LinkGapRow[] = []
  for (const row of rows) {
    if (row.gap_row) {
      gaps.push({ event_id: row.event_id, event_time: row.event_time, organisation_id: row.organisation_id, party: row.party, identifiers: row.identifiers })
      continue
    }
    const key = `${row.party}\u0000${row.categories}`
    const entry = counts.get(key) ?? { party: row.party, categories: row.categories ?? [], total: 0, complete: 0 }
    entry.total += row.total
    if (row.complete) entry.complete += row.total
    counts.set(key, entry)
  }
  return { counts: [...counts.values()], gaps }
}

export interface OriginRow {
  /** a node where the upstream walk of `root` ended */
  leaf: string
  root: string
  /** the leaf is commissioned (an origin) */
  origin: boolean
  /** the walk stopped at the depth limit here */
  truncated: boolean
  /** the organisation that recorded the leaf's earliest event (recording-organisation.ts) */
  first_capturer: string | null
}

export interface RetailRootRow {
  root: string
  /** the categories of the items (sorted), and how many items share this root and these categories */
  categories: string[]
  items: number
}

export interface OriginChecks {
  roots: RetailRootRow[]
  ends: OriginRow[]
  /** the items of each root whose walk ends without an origin */
  gapItems: Map<string, string[]>
}

/**
 * The retail items sold in the scope (identifiers of retail_selling events), each with the root its upstream walk
 * starts from (its lot when an event stated one, else itself), counted by root, with the root's categories; the ends of the
 * upstream walks from those roots over lots and transformations (inputs of the output's event and of events sharing
 * its transformationID), at most `depth` hops, each with whether it is commissioned; and the items of the roots
 * whose walk ends without an origin. Items are many (every pack sold), roots few (lots): items never leave the
 * database but for the gaps.
 */
export async function originChecks(db: Db, scope: ReportScope, categories: CategoryMatcher[], depth: number): Promise<OriginChecks> {
  return db.transaction().execute(async (trx) => {
    await reportSession(trx)
    // Categories are those of each item's root (its lot: the same GTIN), decided once per root rather than per sale.
    // One aggregate over the sales' items and their lots (an item sold twice meets the same lots twice).
    await sql`CREATE TEMP TABLE report_retail ON COMMIT DROP AS
      WITH ev AS MATERIALIZED (SELECT id FROM (${eventRows({ ...scope, organization: undefined }, sql`e.biz_step = ${RETAIL_SELLING}`)}) x)
      SELECT ei.identifier AS item, coalesce(min(lm.lot), ei.identifier) AS root
      FROM ev JOIN event_identifier ei ON ei.event_pk = ev.id AND ei.role IN (${MOVED})
      LEFT JOIN lot_member lm ON lm.instance = ei.identifier
      GROUP BY ei.identifier`.execute(trx)
    const rootCategories =
      categories.length === 0
        ? sql`'{}'::text[]`
        : sql`array(SELECT c.id FROM ${categoryRows(categories)} WHERE ${inCategory(sql.ref('r.root'))} ORDER BY 1)`
    const filtered = scope.category === undefined ? sql`true` : sql`cardinality(categories) > 0`
    const { rows: roots } = await sql<RetailRootRow>`
      SELECT root, categories, items FROM (
        SELECT r.root, ${rootCategories} AS categories, r.items
        FROM (SELECT root, count(*)::int AS items FROM report_retail GROUP BY root) r) x
      WHERE ${filtered}`.execute(trx)
    const distinctRoots = [...new Set(roots.map((r) => r.root))]
    if (distinctRoots.length === 0) return { roots, ends: [], gapItems: new Map() }
    const upstream = (node: RawBuilder<unknown>) => sql`
      SELECT lm.lot AS node FROM lot_member lm WHERE lm.instance = ${node}
      UNION
      SELECT i.identifier FROM event_identifier o
        JOIN event t ON t.id = o.event_pk
        JOIN event s ON s.id = t.id OR (t.transformation_id IS NOT NULL AND s.transformation_id = t.transformation_id)
        JOIN event_identifier i ON i.event_pk = s.id AND i.role IN (4, 14)
      WHERE o.identifier = ${node} AND o.role IN (5, 15) AND ${usable('t')} AND ${usable('s')}`
    const { rows: ends } = await sql<OriginRow>`
      WITH RECURSIVE walk(root, node, depth) AS (
        SELECT r COLLATE "C", r COLLATE "C", 0 FROM unnest(${distinctRoots}::text[]) AS r
        UNION
        SELECT w.root, up.node, w.depth + 1 FROM walk w CROSS JOIN LATERAL (${upstream(sql.ref('w.node'))}) AS up WHERE w.depth < ${depth}
      ),
      ends AS (
        SELECT w.root, w.node, w.depth, EXISTS (${upstream(sql.ref('w.node'))}) AS has_upstream FROM walk w
      )
      SELECT x.node AS leaf, x.root, x.has_upstream AS truncated,
        EXISTS (SELECT 1 FROM event_identifier ci JOIN event ce ON ce.id = ci.event_pk
          WHERE ci.identifier = x.node AND ci.role IN (1, 11, 5, 15) AND ce.biz_step = ${COMMISSIONING} AND ${usable('ce')}) AS origin,
        (SELECT ${recordingOrganisation('fe', 'fp')} FROM event_identifier fi JOIN event fe ON fe.id = fi.event_pk ${provenanceJoin('fe', 'fp')}
          WHERE fi.identifier = x.node AND ${usable('fe')} ORDER BY fe.event_time, fe.id LIMIT 1) AS first_capturer
      FROM (SELECT DISTINCT ON (root, node) * FROM ends ORDER BY root, node, depth) x
      WHERE NOT x.has_upstream OR x.depth >= ${depth}`.execute(trx)
    const gapRoots = [...new Set(ends.filter((e) => !e.origin || e.truncated).map((e) => e.root))]
    const gapItems = new Map<string, string[]>()
    if (gapRoots.length > 0) {
      const { rows } = await sql<{ root: string; item: string }>`
        SELECT root, item FROM report_retail WHERE root = ANY(${gapRoots}::text[]) ORDER BY root, item`.execute(trx)
      for (const row of rows) gapItems.set(row.root, [...(gapItems.get(row.root) ?? []), row.item])
    }
    return { roots, ends, gapItems }
  })
}
