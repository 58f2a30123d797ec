import type { RecallAnswer, RecallItem } from './service.js'

const COLUMNS: Array<[string, (item: RecallItem) => string | number | undefined]> = [
  ['id', (i) => i.id],
  ['epcUrn', (i) => i.epcUrn],
  ['kind', (i) => i.kind],
  ['productName', (i) => i.productName],
  ['lot', (i) => i.lot],
  ['depth', (i) => i.depth],
  ['lastSeen', (i) => i.lastSeen],
  ['lastEventID', (i) => i.lastEventID],
  ['lastBizStep', (i) => i.lastBizStep],
  ['lastBizLocation', (i) => i.lastBizLocation],
  ['lastBizLocationName', (i) => i.lastBizLocationName],
  ['lastDisposition', (i) => i.lastDisposition],
  ['container', (i) => i.container],
  ['owningParty', (i) => i.owningParty],
  ['possessingParty', (i) => i.possessingParty],
  ['shippedTo', (i) => i.shippedTo.join(' ')],
]

/**
 * One cell (RFC 4180): quoted when it holds a comma, quote or line break. A text a spreadsheet would run as a
 * formula (=, +, -, @ first) gets a leading apostrophe: master data names come from other companies.
 */
function cell(value: string | number | undefined): string {
  if (value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The affected items of a recall as CSV for an inspector's spreadsheet: a header row, then one row per item,
 * CRLF line ends, UTF-8 with a byte order mark (so that spreadsheet programs read Vietnamese names right).
 */
export function recallCsv(answer: RecallAnswer): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')]
  for (const item of answer.items) lines.push(COLUMNS.map(([, pick]) => cell(pick(item))).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
