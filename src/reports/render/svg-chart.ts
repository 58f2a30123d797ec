import { escapeHtml } from '../../resolver/html.js'

export interface Bar {
  label: string
  value: number
  /** text shown after the bar; the value when absent */
  text?: string
}

const ROW = 26
const LABEL_WIDTH = 260
const BAR_WIDTH = 380
const TEXT_WIDTH = 90

/**
 * A horizontal bar chart as inline SVG, drawn on the server: the page needs no script and prints as it shows.
 * Written by hand (rectangles and texts on a linear scale): a chart library would bring a DOM or a bundle for
 * what is one division per bar. `max` fixes the scale (1 for shares); otherwise the largest value.
 */
export function barChart(title: string, bars: Bar[], max?: number): string {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 0)
  const width = LABEL_WIDTH + BAR_WIDTH + TEXT_WIDTH
  const height = Math.max(1, bars.length) * ROW + 8
  const rows = bars.map((bar, i) => {
    const y = 4 + i * ROW
    const length = top === 0 ? 0 : Math.round((bar.value / top) * BAR_WIDTH * 10) / 10
    const name = bar.label.length > 38 ? `${bar.label.slice(0, 37)}…` : bar.label
    return (
      `<text x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(name)}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${length}" height="${ROW - 8}" rx="2"><title>${escapeHtml(`${bar.label}: ${bar.text ?? bar.value}`)}</title></rect>` +
      `<text x="${LABEL_WIDTH + length + 6}" y="${y + 17}">${escapeHtml(bar.text ?? String(bar.value))}</text>`
    )
  })
  return (
    `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">` +
    `${rows.join('')}</svg></figure>`
  )
}
