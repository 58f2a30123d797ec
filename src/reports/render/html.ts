import { escapeHtml } from '../../resolver/html.js'
import type { ActivityReport } from '../activity.js'
import type { ChainReport } from '../chain.js'
import { label, type ReportLanguage } from './labels.js'
import { barChart, type Bar } from './svg-chart.js'
import { reportTables, reportTitle, type AnyReport, type ReportTable } from './tables.js'

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1b1b1b}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;border-bottom:2px solid #0b5d3b;margin-bottom:1rem}
h1{font-size:1.5rem;color:#0b5d3b;margin:.5rem 0} h2{font-size:1.15rem;margin-top:2rem;color:#0b5d3b}
table{border-collapse:collapse;width:100%;font-size:.85rem} th,td{border:1px solid #c9d3cd;padding:.3rem .45rem;text-align:left;vertical-align:top;word-break:break-word}
th{background:#e8f1ec} td.n{text-align:right;font-variant-numeric:tabular-nums} p.empty{font-style:italic;color:#555}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem} figure.chart{margin:0} figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font-size:12px;fill:#1b1b1b} svg rect{fill:#2f8f5b} .note{color:#555;font-size:.85rem}
@media print{body{margin:0;max-width:none} a.language-switch,.note{display:none} h2{break-after:avoid} tr{break-inside:avoid}}
`

function table(t: ReportTable): string {
  const numeric = new Set(t.numeric ?? [])
  const body =
    t.rows.length === 0 && t.empty
      ? `<p class="empty">${escapeHtml(t.empty)}</p>`
      : `<table><thead><tr>${t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>` +
        t.rows.map((row) => `<tr>${row.map((v, i) => `<td${numeric.has(i) ? ' class="n"' : ''}>${escapeHtml(v === null ? '' : String(v))}</td>`).join('')}</tr>`).join('') +
        '</tbody></table>'
  return `<section id="${escapeHtml(t.id)}"><h2>${escapeHtml(t.title)}</h2>${body}</section>`
}

function charts(report: AnyReport, language: ReportLanguage): string {
  const l = (key: Parameters<typeof label>[1]) => label(language, key)
  if (report.kind === 'activity') {
    const a = report as ActivityReport
    const byOrganisation: Bar[] = a.organizations.map((o) => ({ label: o.name ?? o.organization ?? l('operator'), value: o.events }))
    const stepBars: Bar[] = [...a.eventsByStep]
      .sort((x, y) => y.events - x.events)
      .map((e) => ({ label: e.bizStep ? `${e.bizStep} (${e.eventType})` : e.eventType, value: e.events }))
    return `<div class="charts">${barChart(l('chartEventsByOrganization'), byOrganisation)}${stepBars.length ? barChart(l('chartEventsByStep'), stepBars) : ''}</div>`
  }
  if (report.kind === 'chain') {
    const c = report as ChainReport
    const bars: Bar[] = c.completeness
      .filter((row) => row.category === null)
      .map((row) => ({ label: row.organizationName ?? row.organization ?? l('unregistered'), value: row.share, text: `${(row.share * 100).toFixed(1)} % (${row.complete}/${row.total})` }))
    return `<div class="charts">${barChart(l('chartCompleteness'), bars, 1)}</div>`
  }
  return ''
}

/**
 * A printable page of the report: title, charts as inline SVG, then every table. No script; styles inline (the
 * content security policy allows them). `switchHref` links to the same report in the other language.
 */
export function reportHtml(report: AnyReport, language: ReportLanguage, switchHref: string): string {
  const title = reportTitle(report, language)
  const other = language === 'vi' ? 'en' : 'vi'
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1><a class="language-switch" href="${escapeHtml(switchHref)}" hreflang="${other}" lang="${other}">${escapeHtml(label(language, 'otherLanguage'))}</a></header>
<p class="note">${escapeHtml(label(language, 'print'))}</p>
${charts(report, language)}
${reportTables(report, language).map(table).join('\n')}
</body>
</html>
`
}
