/**
 * The provenance query parameters (extensions of this repository, for auditors and authorities):
 * EQ_sourceRepository and EQ_originOrganisation. Both are answered from event_provenance's indexes and, for
 * events first captured here, from the event's organisation index.
 */
import { sql } from 'kysely'
import { ERRORS } from '../errors.js'
import type { Filter } from '../query/filters.js'
import type { ParamParser } from '../query/param-table.js'
import type { Candidates } from '../query/sql/conditions.js'
import { canonicalOrganisationName, partyDigits } from './organisation-names.js'
import { repositoryName } from './provenance-header.js'

export type ProvenanceFilter =
  /** Events first captured at one of these repositories (EPCIS roots) or pulled from one of these peers (ids). */
  | { kind: 'provenance'; of: 'sourceRepository'; values: string[] }
  /**
   * Events first captured by one of these organisations: named across repositories (`names`), or organisations of
   * this repository given by id or by GLN / PGLN (`ids`, `digits`).
   */
  | { kind: 'provenance'; of: 'originOrganisation'; names: string[]; ids: string[]; digits: string[] }

export const PROVENANCE_PARAMETERS: Record<string, ParamParser> = {
  EQ_sourceRepository: ({ values }) => ({ filter: { kind: 'provenance', of: 'sourceRepository', values: values.map(repositoryName) } }),
  EQ_originOrganisation: ({ values }) => {
    const names = values.map(canonicalOrganisationName)
    const digits = names.map(partyDigits).filter((d): d is string => d !== undefined)
    return { filter: { kind: 'provenance', of: 'originOrganisation', names, ids: values, digits } }
  },
}

export const provenanceParameterDocs: Record<string, string> = {
  EQ_sourceRepository:
    'Extension (auditor, authority, admin): only events that came from elsewhere, first captured at one of these ' +
    'repositories (their EPCIS root URL, as in nguon:provenance originRepository) or pulled from one of these peers ' +
    '(peer ids). Several values may be given separated by | (any of them matches).',
  EQ_originOrganisation:
    'Extension (auditor, authority, admin): only events first captured by one of these organisations, wherever that ' +
    'was: a GLN or PGLN (13 digits, EPC URN or GS1 Digital Link), an organisation id of this repository, or the name ' +
    'a forwarding repository gave (nguon:provenance originOrganisation). Several values may be given separated by |.',
}

/** Only callers that see every event may select by provenance (it says who delivered what). */
export function checkProvenanceQuery(filters: Filter[], seesEverything: boolean): void {
  if (seesEverything) return
  if (filters.some((filter) => filter.kind === 'provenance')) {
    throw ERRORS.forbidden('EQ_sourceRepository and EQ_originOrganisation are for the admin, auditor and authority roles')
  }
}

/** The keys of the events a provenance filter selects. */
export function provenanceCandidates(filter: ProvenanceFilter): Candidates {
  if (filter.of === 'sourceRepository') {
    return sql<{ pk: number }>`
      SELECT p.event_pk AS pk FROM event_provenance p WHERE p.origin_repository = ANY(${filter.values}::text[])
      UNION ALL
      SELECT p.event_pk AS pk FROM event_provenance p WHERE p.source_peer = ANY(${filter.values}::text[])`
  }
  const local = sql`
    SELECT o.id FROM organisation o WHERE o.id = ANY(${filter.ids}::text[])
    UNION
    SELECT i.organisation_id FROM organisation_identifier i WHERE i.kind IN ('gln', 'pgln') AND i.digits = ANY(${filter.digits}::text[])`
  // An event with no origin repository in event_provenance was first captured here, by its own organisation.
  return sql<{ pk: number }>`
    SELECT p.event_pk AS pk FROM event_provenance p WHERE p.origin_organisation = ANY(${filter.names}::text[])
    UNION ALL
    SELECT p.event_pk AS pk FROM event_provenance p WHERE p.origin_organisation_id IN (${local})
    UNION ALL
    SELECT e.id AS pk FROM event e WHERE e.organisation_id IN (${local})
      AND NOT EXISTS (SELECT 1 FROM event_provenance x WHERE x.event_pk = e.id AND x.origin_repository IS NOT NULL)`
}
