/**
 * PostgreSQL takes at most 65,535 bind parameters in one statement. A multi-row insert whose rows are bound
 * column by column is cut into runs of this many rows, so that whatever a document holds, no statement
 * passes the limit (at 1,000 rows, up to 65 columns a row).
 */
export const ROWS_PER_STATEMENT = 1000

/** `items` in consecutive runs of at most `size`. */
export function* chunksOf<T>(items: readonly T[], size = ROWS_PER_STATEMENT): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size)
}
