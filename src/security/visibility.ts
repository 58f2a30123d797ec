/**
 * "Events this principal may see" ("one step before, one step after"): the events its organisation
 * captured (here, or first captured elsewhere and forwarded here: src/federation), and the events of others in which one of its identifiers is a source or destination party
 * or the bizLocation. The readPoint does not count: it says where an event was observed, which the
 * observer chooses, not who took part. Another organisation's event only when it is published (held and rejected
 * events are seen by their capturer only). admin, auditor and authority see every event in every state.
 * Every read path composes this one predicate inside its SQL; none filters after fetching.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { LinkKind } from '../db/tables/event-link.js'
import type { EventVisibility } from '../traceability/visibility.js'
import { partyKeyPatterns } from './organisation-identifiers.js'
import { publishedOnly } from '../publication/published.js'
import type { OrganisationIdentifier, Principal } from './principal.js'

/** What the predicate depends on: plain data, so that page tokens can be bound to it. */
export interface VisibilityScope {
  organisationId: string | null
  identifiers: OrganisationIdentifier[]
}

/** The predicate over one row of `event` under `alias`, for a principal that does not see everything. */
export function visibleEventCondition(scope: VisibilityScope, alias: string): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`)
  const { exact, like } = partyKeyPatterns(scope.identifiers)
  const parts: RawBuilder<SqlBool>[] = []
  if (scope.organisationId !== null) {
    parts.push(sql<SqlBool>`${column('organisation_id')} = ${scope.organisationId}`)
    // Events another repository forwarded as first captured by this organisation (src/federation): as if it had
    // captured them here. A list read once per statement, not a probe per event.
    parts.push(sql<SqlBool>`${column('id')} IN (
      SELECT vp.event_pk FROM event_provenance vp WHERE vp.origin_organisation_id = ${scope.organisationId})`)
  }
  const matches = (value: RawBuilder<unknown>) =>
    sql<SqlBool>`(${value} = ANY(${exact}::text[]) OR ${value} LIKE ANY(${like}::text[]))`
  if (exact.length + like.length > 0) {
    // Another organisation's event only once it is published (src/publication): held and rejected ones stay the capturer's.
    parts.push(sql<SqlBool>`((${matches(column('biz_location'))} OR EXISTS (
      SELECT 1 FROM event_link vl
      WHERE vl.event_pk = ${column('id')} AND vl.kind IN (${LinkKind.source}, ${LinkKind.destination}) AND ${matches(sql.ref('vl.value'))}))
      AND ${publishedOnly(alias)})`)
  }
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`
}

/** undefined when the principal sees every event (no predicate needed). */
export function visibilityScope(principal: Principal): VisibilityScope | undefined {
  if (principal.seesEverything) return undefined
  return { organisationId: principal.organisationId, identifiers: principal.identifiers }
}

/** The traceability walk's hook (src/traceability/visibility.ts), for this principal. */
export function eventVisibility(principal: Principal): EventVisibility {
  const scope = visibilityScope(principal)
  return scope ? (alias) => visibleEventCondition(scope, alias) : () => sql<SqlBool>`true`
}
