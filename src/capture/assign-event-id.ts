import type { PreparedEvent } from './prepare.js'

/** The event's own eventID or, when it has none, its CBV 2.0 event hash ID. */
export function eventIdFor(event: PreparedEvent): string {
  return event.indexed.eventId ?? event.indexed.eventHash
}
