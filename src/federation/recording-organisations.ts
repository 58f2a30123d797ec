/**
 * An event can reach a repository by two paths: its enterprise delivers it here itself, and a province forwards it
 * too (issue 17). Both copies have the same eventID and hash but are delivered by different organisations, so the
 * duplicate check of the capture path (event_identity_key: per delivering organisation) would store both. The
 * capture path asks here, once per job, whether its events may already be stored by the other path, and what it
 * needs to drop them: the organisation of this repository that recorded each forwarded event (its origin).
 */
import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { localOrganisations } from './organisation-names.js'
import { assertedBy } from './provenance-repository.js'

/** What the move needs to skip events another path stored: each forwarded event's recording organisation, by eventID. */
export interface RecordedElsewhere {
  origins: Record<string, string>
}

/**
 * Undefined (the ordinary capture: nothing more to check) unless the job forwards events whose origin is an
 * organisation of this repository, or its own organisation is the origin of events forwarded here before. Takes a
 * transaction lock per recording organisation concerned, so that two deliveries of the same events by the two
 * paths at once do not both store them.
 */
export async function recordedElsewhere(
  trx: Transaction<Database>,
  delivery: { asserts_provenance: boolean; organisation_id: string | null },
  shell: Record<string, unknown> | undefined,
): Promise<RecordedElsewhere | undefined> {
  const origins: Record<string, string> = {}
  if (delivery.asserts_provenance) {
    const claims = assertedBy(shell)
    const names = [...new Set([...claims.values()].flatMap((claim) => (claim.originOrganisation ? [claim.originOrganisation] : [])))]
    const local = names.length > 0 ? await localOrganisations(trx, names) : new Map<string, string>()
    for (const [eventId, claim] of claims) {
      const organisation = claim.originOrganisation ? local.get(claim.originOrganisation) : undefined
      if (organisation !== undefined && organisation !== delivery.organisation_id) origins[eventId] = organisation
    }
  }
  const recorders = new Set(Object.values(origins))
  if (delivery.organisation_id !== null && (await isOriginOfForwardedEvents(trx, delivery.organisation_id))) recorders.add(delivery.organisation_id)
  if (recorders.size === 0) return undefined
  for (const organisation of [...recorders].sort()) {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`nguon:recorder:${organisation}`}, 0))`.execute(trx)
  }
  return { origins }
}

async function isOriginOfForwardedEvents(trx: Transaction<Database>, organisationId: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (SELECT 1 FROM event_provenance WHERE origin_organisation_id = ${organisationId}) AS found`.execute(trx)
  return rows[0]!.found
}
