import type { Db } from '../db/database.js'
import type { Principal } from '../security/principal.js'
import type { StoredEventRow } from '../query/repository.js'
import { withProvenance } from './provenance-header.js'
import { ownRepository, provenanceOf } from './provenance-repository.js'

/**
 * Auditors and authorities (by their own roles: the operator's answers stay as they were) are shown where events
 * came from.
 */
export function showsProvenance(principal: Principal): boolean {
  return principal.roles.includes('auditor') || principal.roles.includes('authority')
}

/**
 * GET /events and GET /events/{id} for auditors and authorities: the answer carries its events' provenance as the
 * EPCISQueryDocument member `nguon:provenance` (the entries of the header contract, with who delivered each event
 * and the organisation of this repository that first captured it).
 */
export async function shownProvenance(db: Db, rows: StoredEventRow[], publicBaseUrl: string | undefined) {
  const found = await provenanceOf(db, rows.map((row) => row.id), ownRepository(publicBaseUrl))
  const listed = new Set<string>()
  const entries = rows.flatMap((row) => {
    const provenance = found.get(row.id)
    // Error declarations repeat their event's eventID: the event's own provenance is listed once.
    if (!provenance || listed.has(provenance.eventID)) return []
    listed.add(provenance.eventID)
    return [provenance]
  })
  return (document: Record<string, unknown>) => withProvenance(document, entries)
}
