import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { categoryRows, inCategory, type CategoryMatcher } from './categories.js'
import { provenanceJoin, recordingOrganisation } from './recording-organisation.js'
import type { ReportScope } from './scope.js'

export interface HeldEventView {
  eventID: string
  organization: string | null
  eventTime: string
  state: 'held' | 'rejected'
  /** reason codes (src/publication/reasons.ts) */
  reasons: string[]
  /** the reviewer's comment on a rejection */
  comment?: string
}

export interface PublicationSection {
  /** whether the repository keeps publication states (publication control, migration 0035) */
  available: boolean
  held: number
  rejected: number
  /** the first of them, oldest first */
  events: HeldEventView[]
}

/** Held and rejected events listed in the report; all of them are counted. */
const LISTED = 1000

/**
 * The activity report's "held and rejected events with their reasons": the events of the scope (eventTime in the
 * period, the organisation, the category) that publication control holds or a reviewer rejected, with the reason
 * codes they were held for and the reviewer's comment on a rejection; each with the organisation that recorded it.
 */
export async function publicationSection(db: Db, scope: ReportScope, categories: CategoryMatcher[]): Promise<PublicationSection> {
  const recorder = recordingOrganisation('e', 'ep')
  const organisation = scope.organization === undefined ? sql`true` : sql`${recorder} = ${scope.organization}`
  const category =
    scope.category === undefined
      ? sql`true`
      : sql`EXISTS (SELECT 1 FROM event_identifier ei CROSS JOIN ${categoryRows(categories)} WHERE ei.event_pk = e.id AND ${inCategory(sql.ref('ei.identifier'))})`
  const { rows } = await sql<{ event_id: string; organisation_id: string | null; event_time: Date; state: 'held' | 'rejected'; reasons: string[]; comment: string | null; total: number }>`
    SELECT e.event_id, ${recorder} AS organisation_id, e.event_time, p.state, p.reasons, count(*) OVER (PARTITION BY p.state)::int AS total,
      CASE WHEN p.state = 'rejected' THEN (SELECT d.comment FROM publication_decision d WHERE d.event_pk = p.event_pk ORDER BY d.id DESC LIMIT 1) END AS comment
    FROM event_publication p JOIN event e ON e.id = p.event_pk ${provenanceJoin('e', 'ep')}
    WHERE p.state <> 'published' AND e.event_time >= ${scope.from} AND e.event_time < ${scope.to} AND ${organisation} AND ${category}
    ORDER BY e.event_time, e.id`.execute(db)
  const total = (state: string) => rows.find((r) => r.state === state)?.total ?? 0
  return {
    available: true,
    held: total('held'),
    rejected: total('rejected'),
    events: rows.slice(0, LISTED).map((r) => ({
      eventID: r.event_id,
      organization: r.organisation_id,
      eventTime: r.event_time.toISOString(),
      state: r.state,
      reasons: r.reasons,
      ...(r.comment ? { comment: r.comment } : {}),
    })),
  }
}
