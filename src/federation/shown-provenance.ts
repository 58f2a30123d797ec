import type { Db } from '../db/database.js'
import type { StoredEventRow } from '../query/repository.js'
import { withProvenance } from './provenance-header.js'
import { ownRepository, provenanceOf } from './provenance-repository.js'

/**
 * GET /events/{id} for auditors, authorities and the admin: the answer carries its events' provenance as the
 * EPCISQueryDocument member `nguon:provenance` (the entries of the header contract, with who delivered each event
 * and the organisation of this repository that first captured it).
 */
export async function shownProvenance(db: Db, rows: StoredEventRow[], publicBaseUrl: string | undefined) {
  const found = await provenanceOf(db, rows.map((row) => row.id), ownRepository(publicBaseUrl))
  const entries = rows.flatMap((row) => {
    const provenance = found.get(row.id)
    return provenance ? [provenance] : []
  })
  return (document: Record<string, unknown>) => withProvenance(document, entries)
}
