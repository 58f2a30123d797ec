import { randomUUID } from 'node:crypto'
import type { PreparedEvent } from './prepare.js'

/** The event's own eventID, or a new one when it has none. */
export function eventIdFor(event: PreparedEvent): string {
  return event.indexed.eventId ?? `urn:uuid:${randomUUID()}`
}
