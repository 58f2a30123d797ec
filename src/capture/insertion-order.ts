import { compareCodePoints } from '../epcis/event-hash/values.js'
import type { IndexedEvent } from '../epcis/event-index.js'

/**
 * An event's identity as the unique indexes on `event` know it: eventID, CBV 2.0 hash and error declaration time
 * (as an instant, so that two spellings of one time are one key).
 */
export type InsertionKey = [eventId: string, eventHash: string, declarationTime: string]

export function insertionKey(event: { eventId: string; indexed: Pick<IndexedEvent, 'eventHash' | 'errorDeclarationTime'> }): InsertionKey {
  const declared = event.indexed.errorDeclarationTime
  const time = declared === null ? Number.NaN : Date.parse(declared)
  return [event.eventId, event.indexed.eventHash, declared === null ? '' : Number.isNaN(time) ? declared : new Date(time).toISOString()]
}

/**
 * The one order in which every capture inserts events: by insertion key, in code point order (UTF-8 byte order,
 * PostgreSQL's COLLATE "C", which the worker's read of a job's parts sorts by). Two transactions that store some
 * of the same events then take the unique index's locks on them in the same order and cannot deadlock, whatever
 * order the documents listed them in.
 */
export function compareInsertionKeys(a: InsertionKey, b: InsertionKey): number {
  return compareCodePoints(a[0], b[0]) || compareCodePoints(a[1], b[1]) || compareCodePoints(a[2], b[2])
}

/** The events sorted by insertion key (a list already in that order, as the worker reads it, is kept as it is). */
export function inInsertionOrder<T extends { eventId: string; indexed: Pick<IndexedEvent, 'eventHash' | 'errorDeclarationTime'> }>(
  events: T[],
): T[] {
  const keyed = events.map((event) => ({ event, key: insertionKey(event) }))
  for (let i = 1; i < keyed.length; i++) {
    if (compareInsertionKeys(keyed[i - 1]!.key, keyed[i]!.key) > 0) {
      return keyed.sort((a, b) => compareInsertionKeys(a.key, b.key)).map(({ event }) => event)
    }
  }
  return events
}
