import writeXlsxFile, { type Row, type Sheet } from 'write-excel-file/node'
import type { ReportTable } from './tables.js'

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28).trim() || 'Sheet'
  let name = base
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} ${n}`
  taken.add(name.toLowerCase())
  return name
}

/**
 * The tables as an XLSX workbook (write-excel-file), one sheet per table: a bold header row kept in view and the
 * rows under it, numbers as numbers, so that each sheet sorts and filters as it is. Texts are stored as texts, never
 * as formulas.
 */
export async function reportXlsx(tables: ReportTable[]): Promise<Buffer> {
  const taken = new Set<string>()
  const sheets: Sheet<Buffer>[] = tables.map((table) => {
    const numeric = new Set(table.numeric ?? [])
    const header: Row = table.columns.map((value) => ({ value, fontWeight: 'bold' as const }))
    const rows: Row[] = table.rows.map((row) =>
      row.map((value, i) => (value === null ? null : numeric.has(i) && typeof value === 'number' ? { value, type: Number } : { value: String(value), type: String })),
    )
    if (rows.length === 0 && table.empty) rows.push([{ value: table.empty, type: String }])
    return {
      data: [header, ...rows],
      sheet: sheetName(table.title, taken),
      stickyRowsCount: 1,
      columns: table.columns.map((_, i) => ({ width: Math.min(60, Math.max(12, ...table.rows.slice(0, 200).map((r) => String(r[i] ?? '').length + 2))) })),
    }
  })
  return writeXlsxFile(sheets).toBuffer()
}
