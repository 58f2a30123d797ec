/**
 * Values in PostgreSQL's COPY text format (one line per row, columns separated by tabs, \N for NULL). Strings
 * reaching here were checked storable (no NUL, no lone surrogate), so only the format's own characters are escaped.
 */

const SPECIAL = /[\\\n\r\t]/

function escapeCopy(text: string): string {
  if (!SPECIAL.test(text)) return text
  return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'))
}

/** A text, number or boolean column; null and undefined are NULL. */
export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N'
  return typeof value === 'string' ? escapeCopy(value) : String(value)
}

/** A jsonb column from the JSON text of the value. */
export function copyJson(json: string | null): string {
  return json === null ? '\\N' : escapeCopy(json)
}

/** A bytea column. */
export function copyBytes(bytes: Buffer): string {
  return `\\\\x${bytes.toString('hex')}`
}

const ARRAY_SPECIAL = /["\\]/g

/** A one-dimensional array column (text[], numeric[], smallint[]); null elements are NULL. */
export function copyArray(values: ReadonlyArray<string | number | null>): string {
  let literal = '{'
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (i > 0) literal += ','
    if (value === null || value === undefined) literal += 'NULL'
    else if (typeof value === 'number') literal += String(value)
    else literal += `"${value.replace(ARRAY_SPECIAL, '\\$&')}"`
  }
  return escapeCopy(`${literal}}`)
}

/** One row: its columns in the COPY's column order. */
export function copyLine(columns: string[]): string {
  return `${columns.join('\t')}\n`
}
