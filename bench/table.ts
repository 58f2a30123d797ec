import type { ScenarioOutcome } from './types.js'

function formatNumber(value: number | undefined, digits?: number): string {
  if (value === undefined) return ''
  if (!Number.isFinite(value)) return 'n/a'
  const decimals = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2)
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

/** Plain aligned columns: text left, numbers right. */
export function renderTable(outcomes: ScenarioOutcome[]): string {
  const header = ['scenario', 'measurement', 'repository', 'baseline', 'ratio', 'unit']
  const rightAligned = new Set([2, 3, 4])
  const lines: string[][] = [header]
  for (const outcome of outcomes) {
    for (const row of outcome.rows) {
      lines.push([
        outcome.name,
        row.measurement,
        formatNumber(row.value),
        formatNumber(row.baseline),
        row.ratio === undefined ? '' : `${formatNumber(row.ratio, 2)}x`,
        row.unit,
      ])
    }
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)))
  const render = (line: string[]) =>
    line
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [render(header), rule, ...lines.slice(1).map(render)].join('\n')
}
