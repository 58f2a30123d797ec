import { canonicalVocabulary } from '../epcis/canonical.js'
import type { LineageAnswer } from '../traceability/service.js'
import type { PageEventRow, PersistentDispositionRow } from './repository.js'

export type PageWarning = 'recalled' | 'corrected'

const RECALLED = canonicalVocabulary('disposition', 'recalled')

/** Whether the last persistentDisposition action on "recalled" among the events (in time order) set it. */
function openRecall(events: readonly PageEventRow[], persistent: readonly PersistentDispositionRow[]): boolean {
  const byEvent = new Map<number, PersistentDispositionRow[]>()
  for (const row of persistent) {
    if (row.disposition !== RECALLED) continue
    byEvent.set(row.eventPk, [...(byEvent.get(row.eventPk) ?? []), row])
  }
  let open = false
  for (const event of events) {
    const rows = byEvent.get(event.pk) ?? []
    // Within one event, unset applies before set (EPCIS 2.0 7.3.2).
    if (rows.some((r) => r.unset)) open = false
    if (rows.some((r) => !r.unset)) open = true
  }
  return open
}

/**
 * What the shopper must be told first, from the upstream walk: recalled when the product or anything it
 * was made from was last given the recalled disposition, or is in an open recall (persistent disposition);
 * corrected when events of its lineage were declared erroneous (the walk left them out).
 */
export function warningsOf(
  upstream: LineageAnswer,
  upstreamEvents: readonly PageEventRow[],
  persistent: readonly PersistentDispositionRow[],
): PageWarning[] {
  const warnings: PageWarning[] = []
  const recalledDisposition = upstream.nodes.some(
    (n) => (n.role === 'root' || n.role === 'lineage') && n.lastDisposition === RECALLED,
  )
  if (recalledDisposition || openRecall(upstreamEvents, persistent)) warnings.push('recalled')
  if (upstream.erroneousEvents.length > 0) warnings.push('corrected')
  return warnings
}
