import { sql, type RawBuilder } from 'kysely'

/**
 * Rows for a set-based INSERT ... SELECT, as one JSON text parameter read by json_to_recordset: `columns` names
 * each key with its SQL type. One array parameter per column would be built by the driver element by element
 * (escaping every text), which for thousands of events costs more time and memory than the insert itself.
 * Keys missing or undefined in a row are NULL.
 */
export function jsonRows(rows: readonly object[], columns: string): RawBuilder<unknown> {
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) AS r(${sql.raw(columns)})`
}
