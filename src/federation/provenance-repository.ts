/**
 * Where each stored event came from. Events first captured here have no row of their own: their provenance is
 * their organisation, their job's API key and their record time. Events that carried trusted provenance, or
 * came through a peer, have a row in event_provenance (migrations/0033_event_provenance.sql).
 */
import { hostname } from 'node:os'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { jsonRows } from '../db/json-rows.js'
import type { NewEventProvenance } from '../db/tables/event-provenance.js'
import { parseInstant } from '../epcis/date-time.js'
import { localOrganisations, organisationNames } from './organisation-names.js'
import { readProvenance, repositoryName, type AssertedProvenance, type ProvenanceEntry } from './provenance-header.js'

type Executor = Kysely<Database> | Transaction<Database>

/** Who delivered a capture: a capture job's columns, or those of a POST /events (no job). */
export interface Delivery {
  /** null: POST /events. */
  id: number | null
  source_api_key: string | null
  source_peer: string | null
  source_repository: string | null
  asserts_provenance: boolean
}

/** A document's asserted provenance, read once per job shell (the hook runs once per part). */
const asserted = new WeakMap<object, Map<string, AssertedProvenance>>()

export function assertedBy(shell: Record<string, unknown> | undefined): Map<string, AssertedProvenance> {
  if (!shell) return new Map()
  let found = asserted.get(shell)
  if (!found) {
    try {
      found = readProvenance(shell)
    } catch {
      // Checked when the document was accepted; a job queued before that check asserts nothing.
      found = new Map()
    }
    asserted.set(shell, found)
  }
  return found
}

/**
 * The capture path's one hook, once its events are inserted (`stored`: their keys): records the provenance of the
 * events that came from elsewhere. `shell` is the job's document without its events (its header holds what it
 * asserts). Its claims count only when they were accepted with the job (`asserts_provenance`:
 * src/federation/provenance-trust.ts) or the job was pulled; the events of any other delivery were first captured
 * by their capturer, here, and get no row: an ordinary capture returns before any statement. A POST /events gets a
 * row for the API key that sent it (it has no job to keep it).
 */
export async function recordProvenance(
  trx: Transaction<Database>,
  delivery: Delivery,
  shell: Record<string, unknown> | undefined,
  stored: readonly number[],
): Promise<void> {
  const fromPeer = delivery.source_peer !== null
  const single = delivery.id === null && delivery.source_api_key !== null
  if (stored.length === 0 || (!delivery.asserts_provenance && !fromPeer && !single)) return
  const claims = delivery.asserts_provenance ? assertedBy(shell) : new Map<string, AssertedProvenance>()
  if (!fromPeer && !single && claims.size === 0) return
  // What the rows need of the events just inserted: their eventIDs, and for a pull the peer's recordTime.
  const events = await sql<{ id: number; event_id: string; given_record_time: string | null }>`
    SELECT id, event_id, ${fromPeer ? sql`body ->> 'recordTime'` : sql`NULL::text`} AS given_record_time
    FROM event WHERE id = ANY(${stored}::bigint[])`.execute(trx)
  const rows: NewEventProvenance[] = []
  for (const event of events.rows) {
    const pk = Number(event.id)
    const claim = claims.get(event.event_id)
    if (!claim && !fromPeer && !single) continue
    const row: NewEventProvenance = {
      event_pk: pk,
      source_peer: delivery.source_peer,
      source_api_key: delivery.source_api_key,
      origin_organisation: null,
      origin_organisation_id: null,
      origin_repository: null,
      origin_record_time: null,
    }
    if (claim) {
      row.origin_organisation = claim.originOrganisation
      row.origin_repository = claim.originRepository
      row.origin_record_time = claim.originRecordTime
    } else if (fromPeer) {
      // Pulled without a claim: first captured at the peer, by an organisation it does not name.
      row.origin_repository = delivery.source_repository ?? `urn:nguon:peer:${delivery.source_peer}`
      row.origin_record_time = event.given_record_time === null ? null : (parseInstant(event.given_record_time)?.toISOString() ?? null)
    }
    rows.push(row)
  }
  if (rows.length === 0) return
  const names = rows.flatMap((row) => (row.origin_organisation ? [row.origin_organisation] : []))
  const local = await localOrganisations(trx, names)
  for (const row of rows) if (row.origin_organisation) row.origin_organisation_id = local.get(row.origin_organisation) ?? null
  await sql`
    INSERT INTO event_provenance (event_pk, source_peer, source_api_key, origin_organisation, origin_organisation_id,
      origin_repository, origin_record_time)
    SELECT r.event_pk, r.source_peer, r.source_api_key, r.origin_organisation, r.origin_organisation_id, r.origin_repository,
      r.origin_record_time
    FROM ${jsonRows(rows, ROW_COLUMNS)}`.execute(trx)
}

const ROW_COLUMNS =
  'event_pk bigint, source_peer text, source_api_key text, origin_organisation text, origin_organisation_id text, ' +
  'origin_repository text, origin_record_time timestamptz'

/** What GET /events/{id} and a forwarding repository say about where an event came from. */
export interface EventProvenance {
  eventID: string
  /** The peer it was pulled from, or the API key that delivered it (both null: a JWT or the operator key). */
  sourcePeer: string | null
  sourceApiKey: string | null
  /** The organisation that first captured it, as named across repositories; null when the origin did not say. */
  originOrganisation: string | null
  /** That organisation here, when it has an account here. */
  originOrganisationId: string | null
  originRepository: string
  originRecordTime: string
}

/** The name this repository gives itself as an origin: its public base URL, else its host name. */
export function ownRepository(publicBaseUrl: string | undefined): string {
  return publicBaseUrl ? repositoryName(publicBaseUrl) : `urn:nguon:repository:${hostname()}`
}

/** The provenance of stored events, by event key. */
export async function provenanceOf(db: Executor, eventPks: number[], own: string): Promise<Map<number, EventProvenance>> {
  const found = new Map<number, EventProvenance>()
  if (eventPks.length === 0) return found
  const rows = await sql<{
    id: number
    event_id: string
    record_time: Date
    organisation_id: string | null
    job_key: string | null
    job_peer: string | null
    has_row: boolean
    source_peer: string | null
    source_api_key: string | null
    origin_organisation: string | null
    origin_organisation_id: string | null
    origin_repository: string | null
    origin_record_time: Date | null
  }>`
    SELECT e.id, e.event_id, e.record_time, e.organisation_id, j.source_api_key AS job_key, j.source_peer AS job_peer,
      p.event_pk IS NOT NULL AS has_row, p.source_peer, p.source_api_key, p.origin_organisation, p.origin_organisation_id,
      p.origin_repository, p.origin_record_time
    FROM event e
    LEFT JOIN capture_job j ON j.id = e.capture_job_id
    LEFT JOIN event_provenance p ON p.event_pk = e.id
    WHERE e.id = ANY(${eventPks}::bigint[])`.execute(db)
  const names = await organisationNames(db, rows.rows.map((row) => row.organisation_id))
  for (const row of rows.rows) {
    const here = row.origin_repository === null
    found.set(row.id, {
      eventID: row.event_id,
      sourcePeer: row.has_row ? row.source_peer : row.job_peer,
      sourceApiKey: row.has_row ? row.source_api_key : row.job_key,
      originOrganisation: here ? (row.organisation_id === null ? null : names.get(row.organisation_id)!) : row.origin_organisation,
      originOrganisationId: here ? row.organisation_id : row.origin_organisation_id,
      originRepository: here ? own : row.origin_repository!,
      originRecordTime: (here || row.origin_record_time === null ? row.record_time : row.origin_record_time).toISOString(),
    })
  }
  return found
}

/** The header member's entries for stored events (what a forwarding repository sends along with them). */
export async function provenanceEntries(db: Executor, eventPks: number[], own: string): Promise<ProvenanceEntry[]> {
  const found = await provenanceOf(db, eventPks, own)
  const listed = new Set<string>()
  return eventPks.flatMap((pk) => {
    const p = found.get(pk)
    // Error declarations repeat their event's eventID: the first listed speaks for it.
    if (p && listed.has(p.eventID)) return []
    if (p) listed.add(p.eventID)
    return p ? [{ eventID: p.eventID, originOrganisation: p.originOrganisation, originRepository: p.originRepository, originRecordTime: p.originRecordTime }] : []
  })
}

/** A POST /events as a delivery: no job, the sender's API key; a single event asserts nothing. */
export function singleDelivery(capturer: { sourceApiKey?: string | null }): Delivery {
  return { id: null, source_api_key: capturer.sourceApiKey ?? null, source_peer: null, source_repository: null, asserts_provenance: false }
}
