import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../db/database.js'

/**
 * The organisation that recorded an event, as the reports name it (issue 17): for an event first captured in
 * another repository and forwarded here, its origin organisation (event_provenance under `provenance`, joined on the
 * event's key): the organisation of this repository it maps to, else its name across repositories (a GLN / PGLN as
 * a GS1 Digital Link, src/federation/organisation-names.ts), never the forwarder; for any other event, its own
 * organisation (null: an operator's capture). Only forwarded events have a provenance row: joined on its primary
 * key, it costs next to nothing for the others.
 */
export function recordingOrganisation(event: string, provenance: string): RawBuilder<string | null> {
  const column = (alias: string, name: string) => sql.ref(`${alias}.${name}`)
  return sql<string | null>`coalesce(${column(provenance, 'origin_organisation_id')}, ${column(provenance, 'origin_organisation')}, ${column(event, 'organisation_id')})`
}

/** The LEFT JOIN recordingOrganisation needs: the provenance row, if any, of the event under `event`. */
export function provenanceJoin(event: string, provenance: string): RawBuilder<unknown> {
  return sql`LEFT JOIN event_provenance ${sql.id(provenance)} ON ${sql.ref(`${provenance}.event_pk`)} = ${sql.ref(`${event}.id`)}`
}

/**
 * Whether any stored event names an origin organisation, that is was first recorded elsewhere (two partial indexes
 * answer it at once). When none does, as in an enterprise's own repository, the reports read each event's own
 * organisation and skip the join to event_provenance: a million probes of it cost a report a second.
 */
export async function anyRecordedElsewhere(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (SELECT 1 FROM event_provenance WHERE origin_organisation IS NOT NULL)
      OR EXISTS (SELECT 1 FROM event_provenance WHERE origin_organisation_id IS NOT NULL) AS found`.execute(db)
  return rows[0]!.found
}
