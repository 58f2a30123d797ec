import { CompiledQuery, sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.js'
import type { Filter, Order } from './filters.js'
import { and, filterCondition, type Candidates } from './sql/conditions.js'
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

/** The planner's estimate of a statement's total cost (EXPLAIN, nothing is executed). */
export async function estimatedCost(db: Db, statement: RawBuilder<unknown>): Promise<number> {
  const compiled = statement.compile(db)
  const result = await db.executeQuery<{ 'QUERY PLAN': Array<{ Plan: { 'Total Cost': number } }> }>(
    CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
  )
  return result.rows[0]!['QUERY PLAN'][0]!.Plan['Total Cost']
}

/** An event and the error declarations about it (they repeat its eventID), in storage order. */
export async function findEventsById(db: Db, eventId: string): Promise<StoredEventRow[]> {
  const page = await findEvents(db, {
    filters: [{ kind: 'equals', column: 'event_id', values: [eventId] }],
    order: { by: 'storage' },
    after: undefined,
    limit: 1000,
  })
  return page.rows
}
