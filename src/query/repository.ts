import { CompiledQuery, sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '../db/database.js'
import type { Filter, Order } from './filters.js'
import { and, candidatesOf, filterCondition, type Candidates } from './sql/conditions.js'
import { orderSql, type Cursor } from './sql/order.js'

export interface StoredEventRow {
  id: number
  event_id: string
  record_time: Date
  body: Record<string, unknown>
  context: unknown[] | null
}

export interface EventPageQuery {
  filters: Filter[]
  order: Order
  after: Cursor | undefined
  limit: number
  /** The filter (index in `filters`) whose few candidate events are listed first and read by primary key. */
  driver?: number | undefined
}

/** The SQL of one page: the matching events in order, after the cursor. */
export function eventPageSql(query: EventPageQuery): RawBuilder<StoredEventRow & Record<string, unknown>> {
  const order = orderSql(query.order)
  const conditions = and([
    ...query.filters.map((filter, i) => filterCondition(filter, i === query.driver)),
    ...(query.after ? [order.after(query.after)] : []),
  ])
  return sql<StoredEventRow & Record<string, unknown>>`
    SELECT event.id, event.event_id, event.record_time, event.body, document_context.context ${order.select}
    FROM event LEFT JOIN document_context ON document_context.id = event.context_id ${order.join}
    WHERE ${conditions}
    ORDER BY ${order.orderBy}
    LIMIT ${query.limit}`
}

export interface FoundEvents {
  rows: StoredEventRow[]
  /** The sort key of each row, for the next page's cursor. */
  cursors: Cursor[]
}

/** One page of events matching every filter, in the query's order, after the cursor. */
export async function findEvents(db: Db, query: EventPageQuery): Promise<FoundEvents> {
  const order = orderSql(query.order)
  const result = await eventPageSql(query).execute(db)
  return {
    rows: result.rows.map(({ id, event_id, record_time, body, context }) => ({ id, event_id, record_time, body, context })),
    cursors: result.rows.map((row) => order.cursorOf(row)),
  }
}

/**
 * The SQL of a page driven by a filter on a side table: its event keys are listed first (at most
 * `atMost`), then the events read by primary key in order, in one statement. Every row carries the
 * size of the list (`listed`); a list longer than `atMost` gives one row without an event.
 */
export function candidatePageSql(query: EventPageQuery, driver: number, atMost: number) {
  const order = orderSql(query.order)
  const candidates = candidatesOf(query.filters[driver]!)!
  const conditions = and([
    sql<SqlBool>`event.id = ANY(listed.ids)`,
    ...query.filters.flatMap((filter, i) => (i === driver ? [] : [filterCondition(filter)])),
    ...(query.after ? [order.after(query.after)] : []),
  ])
  // Without a listed event, the columns of `page` are null: the rows are filtered on id.
  return sql<StoredEventRow & { listed: number } & Record<string, unknown>>`
    WITH listed AS MATERIALIZED (SELECT ARRAY(SELECT c.pk FROM (${candidates}) AS c LIMIT ${atMost + 1}) AS ids)
    SELECT cardinality(listed.ids) AS listed, page.* FROM listed LEFT JOIN LATERAL (
      SELECT event.id, event.event_id, event.record_time, event.body, document_context.context ${order.select}
      FROM event LEFT JOIN document_context ON document_context.id = event.context_id ${order.join}
      WHERE cardinality(listed.ids) <= ${atMost} AND ${conditions}
      ORDER BY ${order.orderBy}
      LIMIT ${query.limit}) AS page ON true`
}

/** One page driven by a side-table filter (see candidatePageSql); undefined when it lists more than `atMost` events. */
export async function findEventsByCandidates(db: Db, query: EventPageQuery, driver: number, atMost: number): Promise<FoundEvents | undefined> {
  const result = await candidatePageSql(query, driver, atMost).execute(db)
  if ((result.rows[0]?.listed ?? 0) > atMost) return undefined
  const order = orderSql(query.order)
  const rows = result.rows.filter((row) => row.id !== null)
  return {
    rows: rows.map(({ id, event_id, record_time, body, context }) => ({ id, event_id, record_time, body, context })),
    cursors: rows.map((row) => order.cursorOf(row)),
  }
}

/** How many events match, counting no further than `atMost` (enough to tell whether a limit is exceeded). */
export function countSql(filters: Filter[], atMost: number, driver?: number): RawBuilder<{ n: number }> {
  const conditions = and(filters.map((filter, i) => filterCondition(filter, i === driver)))
  return sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM event WHERE ${conditions} LIMIT ${atMost}) AS matching`
}

/** How many rows a filter's candidate list has, counting no further than `atMost`. */
export async function countCandidates(db: Db, candidates: Candidates, atMost: number): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${candidates} LIMIT ${atMost}) AS c`.execute(db)
  return result.rows[0]!.n
}

export async function countEvents(db: Db, filters: Filter[], atMost: number): Promise<number> {
  return (await countSql(filters, atMost).execute(db)).rows[0]!.n
}

/** The parts of an EXPLAIN (FORMAT JSON) plan node the cost guard reads. */
export interface PlanNode {
  'Node Type': string
  'Total Cost': number
  'Plan Rows': number
  'Join Type'?: string
  'Parent Relationship'?: string
  Filter?: string
  Plans?: PlanNode[]
}

/** Whether a plan reads rows it may then throw away: a filter, or a join that keeps only rows with a match. */
function discardsRows(node: PlanNode): boolean {
  if (node['Parent Relationship'] === 'InitPlan' || node['Parent Relationship'] === 'SubPlan') return false
  if (node.Filter !== undefined) return true
  if (node['Join Type'] !== undefined && node['Join Type'] !== 'Left') return true
  return (node.Plans ?? []).some(discardsRows)
}

/**
 * The cost of a plan when the rows it wants come last. Under a LIMIT the planner counts only the share
 * of its input it expects to read before enough rows pass, as if the matches were spread evenly over
 * the walk. They often are not (events of one kind cluster in time, a filter matches only recent
 * events, an organisation sees few), and then the walk reads every row its filters throw away before
 * the page's rows: GT_quantity=0 on 140,000 events whose quantities are all recent was costed at 4% of the
 * walk it really made. So a LIMIT over an input that discards rows counts the share of its input that
 * is thrown away (as the planner estimates it against `events`, the rows of the event table) plus the
 * page; over one that discards nothing (an ordered walk of every event), the planner's share is exact.
 * A filter that keeps nearly every row (the declarations an organisation is shown) thus costs little.
 */
export function worstCaseCost(node: PlanNode, events: number): number {
  const input = node.Plans?.[0]
  if (node['Node Type'] === 'Limit' && input) {
    if (!discardsRows(input)) return node['Total Cost']
    const walked = Math.max(events, input['Plan Rows'], 1)
    const share = events > 0 ? Math.min(1, 1 - input['Plan Rows'] / walked + node['Plan Rows'] / walked) : 1
    return Math.max(node['Total Cost'], share * worstCaseCost(input, events))
  }
  return Math.max(node['Total Cost'], ...(node.Plans ?? []).map((plan) => worstCaseCost(plan, events)))
}

/** The planner's estimate of a statement's cost in the worst case (EXPLAIN, nothing is executed; see worstCaseCost). */
export async function estimatedCost(db: Db, statement: RawBuilder<unknown>): Promise<number> {
  const compiled = statement.compile(db)
  const [result, size] = await Promise.all([
    db.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
    ),
    // The planner's own count of events (-1 before the table was first analysed: then every filter counts in full).
    sql<{ rows: number }>`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'event'::regclass`.execute(db),
  ])
  const events = Number(size.rows[0]?.rows ?? -1)
  return worstCaseCost(result.rows[0]!['QUERY PLAN'][0]!.Plan, Math.max(events, 0))
}

/** An event and the error declarations about it (they repeat its eventID), in storage order. */
export async function findEventsById(db: Db, eventId: string, visible: Filter[] = []): Promise<StoredEventRow[]> {
  const page = await findEvents(db, {
    filters: [{ kind: 'equals', column: 'event_id', values: [eventId] }, ...visible],
    order: { by: 'storage' },
    after: undefined,
    limit: 1000,
  })
  return page.rows
}
