import { copyArray, copyBytes, copyJson, copyLine, copyValue } from '../../db/copy-text.js'
import type { IndexedEvent } from '../../epcis/event-index.js'
import type { LotMembership } from '../../traceability/lot-membership.js'

/** An accepted event with everything its rows need, computed once when its document is accepted. */
export interface StagedEvent {
  /** Its key in `event`, reserved in document order. */
  pk: number
  position: number
  eventId: string
  body: Record<string, unknown>
  indexed: IndexedEvent
  /** The third part of its insertion key (insertion-order.ts). */
  declaredKey: string
  leafHash: Buffer
  lots: LotMembership[]
}

/** The columns of capture_staged_event a COPY writes, in the order stagedEventLine writes them. */
export const STAGED_EVENT_COLUMNS = [
  'capture_job_id', 'id', 'position', 'event_id', 'event_hash', 'declared_key', 'event_type', 'event_time',
  'event_time_zone_offset', 'action', 'biz_step', 'disposition', 'read_point', 'biz_location', 'transformation_id',
  'error_declaration_time', 'error_reason', 'body', 'extensions', 'leaf_hash', 'identifier_roles', 'identifiers',
  'quantities', 'uoms', 'link_kinds', 'link_types', 'link_values', 'extras',
] as const

/** One event as a COPY text line of capture_staged_event. */
export function stagedEventLine(jobId: number, event: StagedEvent): string {
  const x = event.indexed
  const ids = x.identifiers
  const links = x.links
  return copyLine([
    String(jobId),
    String(event.pk),
    String(event.position),
    copyValue(event.eventId),
    copyValue(x.eventHash),
    copyValue(event.declaredKey),
    copyValue(x.eventType),
    copyValue(x.eventTime),
    copyValue(x.eventTimeZoneOffset),
    copyValue(x.action),
    copyValue(x.bizStep),
    copyValue(x.disposition),
    copyValue(x.readPoint),
    copyValue(x.bizLocation),
    copyValue(x.transformationId),
    copyValue(x.errorDeclarationTime),
    copyValue(x.errorReason),
    copyJson(JSON.stringify(event.body)),
    copyJson(x.extensions === null ? null : JSON.stringify(x.extensions)),
    copyBytes(event.leafHash),
    copyArray(ids.map((i) => i.role)),
    copyArray(ids.map((i) => i.identifier)),
    copyArray(ids.map((i) => i.quantity)),
    copyArray(ids.map((i) => i.uom)),
    copyArray(links.map((l) => l.kind)),
    copyArray(links.map((l) => l.type)),
    copyArray(links.map((l) => l.value)),
    copyJson(extrasOf(event)),
  ])
}

/** The rarer rows of an event, as JSON read back by the job (store-staged.ts); null when it has none. */
function extrasOf(event: StagedEvent): string | null {
  const { fields, sensorReports, persistentDispositions } = event.indexed
  if (fields.length === 0 && sensorReports.length === 0 && persistentDispositions.length === 0 && event.lots.length === 0) return null
  return JSON.stringify({ fields, sensorReports, dispositions: persistentDispositions, lots: event.lots })
}
