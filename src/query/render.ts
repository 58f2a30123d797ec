import { randomUUID } from 'node:crypto'
import { EPCIS_CONTEXT_URL } from '../epcis/known-contexts.js'
import { isObject } from '../epcis/document.js'
import type { StoredEventRow } from './repository.js'

/** The event exactly as captured, with the repository's recordTime and (if it had none) its assigned eventID. */
export function eventAsStored(row: StoredEventRow): Record<string, unknown> {
  const event: Record<string, unknown> = { ...row.body }
  if (event.eventID === undefined) event.eventID = row.event_id
  event.recordTime = row.record_time.toISOString()
  return event
}

/**
 * One @context for a page of events from different documents: the remote contexts in first-seen
 * order and the inline prefixes merged. An event whose prefixes clash with the merged ones keeps
 * its own document's @context on the event itself.
 */
export function mergeContexts(rows: StoredEventRow[]): { context: unknown[]; ownContext: Set<number> } {
  const urls: string[] = [EPCIS_CONTEXT_URL]
  const prefixes: Record<string, unknown> = {}
  const ownContext = new Set<number>()
  rows.forEach((row, index) => {
    const context = row.context ?? []
    const clashes = context.some(
      (entry) =>
        isObject(entry) &&
        Object.entries(entry).some(
          ([k, v]) => k in prefixes && JSON.stringify(prefixes[k]) !== JSON.stringify(v),
        ),
    )
    if (clashes) {
      ownContext.add(index)
      return
    }
    for (const entry of context) {
      if (typeof entry === 'string' && !urls.includes(entry)) urls.push(entry)
      else if (isObject(entry)) Object.assign(prefixes, entry)
    }
  })
  return { context: Object.keys(prefixes).length ? [...urls, prefixes] : urls, ownContext }
}

type EventTransform = (event: Record<string, unknown>) => Record<string, unknown>

export function queryDocument(
  rows: StoredEventRow[],
  transform: EventTransform = (event) => event,
  queryName = 'SimpleEventQuery',
): Record<string, unknown> {
  const { context, ownContext } = mergeContexts(rows)
  const eventList = rows.map((row, index) => {
    const event = transform(eventAsStored(row))
    return ownContext.has(index) ? { '@context': row.context, ...event } : event
  })
  return {
    '@context': context,
    id: `urn:uuid:${randomUUID()}`,
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { queryResults: { queryName, resultsBody: { eventList } } },
  }
}
