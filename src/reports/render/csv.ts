import type { Cell, ReportTable } from './tables.js'

/**
 * One cell (RFC 4180): quoted when it holds a comma, quote or line break. A text a spreadsheet would run as a
 * formula (=, +, -, @ first) gets a leading apostrophe: names come from other companies.
 */
function cell(value: Cell): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The tables as CSV, UTF-8 with a byte order mark (spreadsheet programs then read Vietnamese right), CRLF line
 * ends. One table is a plain header and rows (sortable as it is); several are blocks, each a title row, a
 * header row and its rows, apart by an empty line.
 */
export function reportCsv(tables: ReportTable[]): string {
  const lines: string[] = []
  const single = tables.length === 1
  for (const table of tables) {
    if (!single) {
      if (lines.length > 0) lines.push('')
      lines.push(cell(table.title))
    }
    lines.push(table.columns.map(cell).join(','))
    for (const row of table.rows) lines.push(row.map(cell).join(','))
    if (table.rows.length === 0 && table.empty && !single) lines.push(cell(table.empty))
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
