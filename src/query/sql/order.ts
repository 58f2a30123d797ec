/**
 * Result order and keyset pagination. Each order has a sort key that ends with event.id, so it is
 * total, and a page continues strictly after the last key of the page before: events captured
 * meanwhile never make an event appear twice or go missing from the rest of the walk.
 *
 * - storage (no orderBy): event.id ascending, the order events were stored in.
 * - eventTime / recordTime: (time, id), ASC or DESC, over the (time, id) indexes.
 * - an extension field: (has no value, kind, number, time, text, id). Numbers sort before times
 *   and texts; texts sort by code point (COLLATE "C"); events without the field come last in
 *   either direction.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { FieldScope } from '../../db/tables/event-field.js'
import type { Order } from '../filters.js'

/** Where the previous page ended: the sort key of its last event, as text (exact for times and numerics). */
export type Cursor = Array<string | number>

export interface OrderSql {
  /** Extra FROM items (the extension field's value). */
  join: RawBuilder<unknown>
  /** Extra select-list items, read back as the cursor. */
  select: RawBuilder<unknown>
  orderBy: RawBuilder<unknown>
  after(cursor: Cursor): RawBuilder<SqlBool>
  cursorOf(row: Record<string, unknown>): Cursor
}

const TIME_COLUMNS = { eventTime: 'event_time', recordTime: 'record_time' } as const

function isCursor(value: unknown, length: number): value is Cursor {
  return (
    Array.isArray(value) &&
    value.length === length &&
    value.every((part) => typeof part === 'string' || (typeof part === 'number' && Number.isSafeInteger(part)))
  )
}

/** A cursor taken from a page token: its shape was signed by us, but check it anyway. */
export function checkCursor(order: Order, cursor: unknown): cursor is Cursor {
  return isCursor(cursor, order.by === 'storage' ? 1 : order.by === 'field' ? 6 : 2)
}

export function orderSql(order: Order): OrderSql {
  if (order.by === 'storage') {
    return {
      join: sql``,
      select: sql``,
      orderBy: sql`event.id ASC`,
      after: ([id]) => sql<SqlBool>`event.id > ${id}::bigint`,
      cursorOf: (row) => [row.id as number],
    }
  }
  const dir = sql.raw(order.direction)
  const cmp = sql.raw(order.direction === 'ASC' ? '>' : '<')
  if (order.by !== 'field') {
    const column = sql.ref(`event.${TIME_COLUMNS[order.by]}`)
    return {
      join: sql``,
      select: sql`, ${column}::text AS sort_time`,
      orderBy: sql`${column} ${dir}, event.id ${dir}`,
      after: ([time, id]) => sql<SqlBool>`(${column}, event.id) ${cmp} (${time}::timestamptz, ${id}::bigint)`,
      cursorOf: (row) => [row.sort_time as string, row.id as number],
    }
  }
  const absent = sql`(sort.value_text IS NULL)::int`
  const kind = sql`(CASE WHEN sort.value_num IS NOT NULL THEN 0 WHEN sort.value_time IS NOT NULL THEN 1 ELSE 2 END)`
  const num = sql`COALESCE(sort.value_num, 0)`
  const time = sql`COALESCE(sort.value_time, 'epoch'::timestamptz)`
  const text = sql`COALESCE(sort.value_text, '')`
  return {
    join: sql`
      LEFT JOIN LATERAL (
        SELECT f.value_num, f.value_time, f.value_text FROM event_field f
        WHERE f.event_pk = event.id AND f.name = ANY(${order.names}::text[]) AND f.scope = ${FieldScope.event}
          AND f.nested = false AND f.value_text IS NOT NULL
        ORDER BY f.value_num IS NULL, f.value_time IS NULL, f.value_num, f.value_time, f.value_text
        LIMIT 1) AS sort ON true`,
    select: sql`, ${absent} AS sort_absent, ${kind} AS sort_kind, ${num}::text AS sort_num, ${time}::text AS sort_time,
      ${text} AS sort_text`,
    orderBy: sql`${absent} ASC, ${kind} ${dir}, ${num} ${dir}, ${time} ${dir}, ${text} ${dir}, event.id ${dir}`,
    after: ([a, k, n, t, s, id]) => sql<SqlBool>`(${absent} > ${a}::int OR (${absent} = ${a}::int AND
      (${kind}, ${num}, ${time}, ${text}, event.id) ${cmp} (${k}::int, ${n}::numeric, ${t}::timestamptz, ${s}::text, ${id}::bigint)))`,
    cursorOf: (row) => [
      row.sort_absent as number,
      row.sort_kind as number,
      row.sort_num as string,
      row.sort_time as string,
      row.sort_text as string,
      row.id as number,
    ],
  }
}
