import { sql } from 'kysely'
import { canonicalIdentifier } from '../epcis/canonical.js'
import { ERRORS } from '../errors.js'
import { labelIdentifiers, type PlaceRole } from '../traceability/labels.js'
import { isUnknown, trace } from '../traceability/trace.js'
import { TRACE_LIMITS } from '../traceability/service.js'
import type { TraceDb } from '../traceability/walk.js'
import { everyEvent } from '../traceability/visibility.js'
import { provenanceJoin, recordingOrganisation } from './recording-organisation.js'

/** One step of one affected item, with the key data elements an inspector (or FSMA 204) asks for. */
export interface RecallSheetRow {
  item: string
  epcUrn?: string
  lot?: string
  gtin?: string
  product?: string
  quantity?: string
  unit?: string
  eventTime: string
  bizStep?: string
  eventType: string
  location?: string
  locationName?: string
  source: string[]
  destination: string[]
  bizTransactions: string[]
  /** the container whose event this is, when not the item's own */
  via?: string
  eventID: string
  /** the enterprise that recorded the step: an organisation here (its id), else the origin's GLN / PGLN Digital Link */
  recordedBy?: string
  recordedByName?: string
}

export interface RecallSheet {
  kind: 'recall'
  root: string
  generatedAt: string
  items: number
  truncated: boolean
  rows: RecallSheetRow[]
}

const CBV = /^https:\/\/ref\.gs1\.org\/cbv\/(?:BizStep|BTT|SDT)-/
const short = (value: string | null | undefined) => (value ? value.replace(CBV, '') : undefined)
const LOT = /^(https:\/\/id\.gs1\.org\/01\/[0-9]{14}\/10\/[^/]+)/
const GTIN = /^https:\/\/id\.gs1\.org\/01\/([0-9]{14})/

interface EventExtras {
  quantities: Map<string, { quantity: string; uom: string | null }>
  bizTransactions: string[]
  recorder?: { id: string; name?: string }
}

/** Quantities (per identifier), business transactions and recorders (recording-organisation.ts) of the events, in one statement. */
async function eventExtras(deps: TraceDb, pks: number[]): Promise<Map<number, EventExtras>> {
  const extras = new Map<number, EventExtras>()
  if (pks.length === 0) return extras
  const { rows } = await sql<{ pk: number; what: 'q' | 't' | 'r'; a: string; b: string | null; c: string | null }>`
    SELECT event_pk AS pk, 'q' AS what, identifier AS a, quantity::text AS b, uom AS c FROM event_identifier
      WHERE event_pk = ANY(${pks}::bigint[]) AND quantity IS NOT NULL
    UNION ALL
    SELECT event_pk, 't', value, type, NULL FROM event_link WHERE event_pk = ANY(${pks}::bigint[]) AND kind = 1
    UNION ALL
    SELECT r.pk, 'r', r.recorder, o.name, NULL FROM (
      SELECT e.id AS pk, ${recordingOrganisation('e', 'p')} AS recorder FROM event e ${provenanceJoin('e', 'p')}
      WHERE e.id = ANY(${pks}::bigint[])) r
    LEFT JOIN organisation o ON o.id = r.recorder
    WHERE r.recorder IS NOT NULL`.execute(deps.db)
  for (const row of rows) {
    const entry: EventExtras = extras.get(row.pk) ?? { quantities: new Map(), bizTransactions: [] }
    if (row.what === 'r') entry.recorder = { id: row.a, ...(row.b ? { name: row.b } : {}) }
    else if (row.what === 'q') entry.quantities.set(row.a, { quantity: row.b!, uom: row.c })
    else entry.bizTransactions.push(row.b ? `${short(row.b)}:${row.a}` : row.a)
    extras.set(row.pk, entry)
  }
  return extras
}

/**
 * The recall spreadsheet for a lot or an item: every affected item downstream (made from it, shipped with it),
 * one row per step it went through (its own events and its containers' while it was inside), each with lot,
 * product, quantity and unit, place and time, source and destination, business transactions, and the enterprise that
 * recorded it.
 */
export async function recallSheet(deps: TraceDb, epc: string, now = new Date()): Promise<RecallSheet> {
  let root: string
  try {
    root = canonicalIdentifier(epc)
  } catch (error) {
    const message = (error as Error).message
    throw ERRORS.queryParameter(`epc is not a valid identifier: ${message}`, [{ pointer: 'epc', message }])
  }
  const t = await trace(deps, root, ['downstream'], {
    maxDepth: TRACE_LIMITS.defaultDepth,
    nodeLimit: TRACE_LIMITS.nodeLimit,
    at: null,
    visible: everyEvent,
    withPersistent: false,
  })
  if (isUnknown(t)) throw ERRORS.noSuchResource(`No event names ${epc}`)
  const nodes = [...t.nodes.values()].filter((n) => n.role === 'root' || n.role === 'lineage')
  const places = new Map<string, PlaceRole>()
  for (const node of nodes) for (const seen of node.history) if (seen.fact.bizLocation) places.set(seen.fact.bizLocation, 'bizLocation')
  const labels = await labelIdentifiers(deps.db, [...nodes.map((n) => n.id), ...places.keys()], t.lots, places)
  const affected = nodes.filter((n) => labels.get(n.id)?.kind !== 'location' && labels.get(n.id)?.kind !== 'party')
  const extras = await eventExtras(deps, [...new Set(affected.flatMap((n) => n.history.map((s) => s.fact.pk)))])
  const rows: RecallSheetRow[] = []
  for (const node of affected.sort((a, b) => a.depth - b.depth || a.id.localeCompare(b.id))) {
    const label = labels.get(node.id)
    const lot = t.lots.get(node.id) ?? LOT.exec(node.id)?.[1]
    const gtin = GTIN.exec(node.id)?.[1]
    for (const { fact, via } of node.history) {
      const extra = extras.get(fact.pk)
      const amount = extra?.quantities.get(node.id)
      const instance = label?.kind === 'instance'
      const location = fact.bizLocation ?? undefined
      rows.push({
        item: node.id,
        ...(label?.epcUrn ? { epcUrn: label.epcUrn } : {}),
        ...(lot ? { lot } : {}),
        ...(gtin ? { gtin } : {}),
        ...(label?.productName ? { product: label.productName } : {}),
        ...(amount ? { quantity: amount.quantity, ...(amount.uom ? { unit: amount.uom } : {}) } : instance ? { quantity: '1' } : {}),
        eventTime: new Date(fact.t).toISOString(),
        ...(fact.bizStep ? { bizStep: short(fact.bizStep) } : {}),
        eventType: fact.eventType,
        ...(location ? { location } : {}),
        ...(location && labels.get(location)?.name ? { locationName: labels.get(location)!.name } : {}),
        source: fact.links.filter((l) => l.kind === 'source').map((l) => (l.type ? `${short(l.type)}:${l.value}` : l.value)),
        destination: fact.links.filter((l) => l.kind === 'destination').map((l) => (l.type ? `${short(l.type)}:${l.value}` : l.value)),
        bizTransactions: extra?.bizTransactions.sort() ?? [],
        ...(via ? { via } : {}),
        eventID: fact.eventId,
        ...(extra?.recorder ? { recordedBy: extra.recorder.id, ...(extra.recorder.name ? { recordedByName: extra.recorder.name } : {}) } : {}),
      })
    }
  }
  return { kind: 'recall', root, generatedAt: now.toISOString(), items: affected.length, truncated: t.truncatedBy.size > 0, rows }
}
