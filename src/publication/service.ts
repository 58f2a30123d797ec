import type { Db } from '../db/database.js'
import { ERRORS } from '../errors.js'
import { canonicalVocabulary } from '../epcis/canonical.js'
import type { Principal } from '../security/principal.js'
import { appendDecisions, type DecisionFields } from './decision-ledger.js'
import { reasonViews } from './reasons.js'
import { decisionsOf, listHeldEvents, lockDecidable, setStates, upsertRule, type DecisionRow, type HeldEventFilter, type HeldEventRow } from './repository.js'
import type { PublicationRuleRow } from '../db/tables/publication-rule.js'
import { makePeersDueForDecisions } from '../federation/repository.js'

/** Who reviews every organisation's events; a caller with only the capture role sees its own organisation's. */
export function reviewScope(principal: Principal, asked: string | undefined): string | undefined {
  const reviews = principal.roles.some((role) => role === 'admin' || role === 'reviewer' || role === 'auditor' || role === 'authority')
  if (reviews) return asked
  if (principal.organisationId === null) throw ERRORS.forbidden('Only reviewers see the held events of every organisation')
  if (asked !== undefined && asked !== principal.organisationId) throw ERRORS.forbidden("Only reviewers see other organisations' held events")
  return principal.organisationId
}

export async function heldEventsPage(db: Db, filter: HeldEventFilter, limit: number) {
  const rows = await listHeldEvents(db, filter, limit)
  const decisions = await decisionsOf(db, rows.map((r) => r.event_pk))
  return rows.map((row) => ({ row, view: heldEventView(row, decisions.get(row.event_pk) ?? []) }))
}

function heldEventView(row: HeldEventRow, decisions: readonly DecisionRow[]) {
  return {
    eventID: row.event_id,
    organization: row.organisation_id,
    state: row.state,
    heldAt: row.held_at.toISOString(),
    eventType: row.event_type,
    eventTime: row.event_time.toISOString(),
    bizStep: row.biz_step,
    reasons: reasonViews(row.reasons, row.details),
    decisions: decisions.map((d) => ({
      decision: d.decision,
      comment: d.comment,
      decidedBy: d.decided_by,
      decidedAt: d.decided_at.toISOString(),
      ledgerEntry: d.ledger_seq,
    })),
    event: row.body,
  }
}

export interface DecisionRequest {
  eventIDs: string[]
  decision: 'approve' | 'reject'
  comment?: string
  organization?: string
}

/**
 * Approves (publishes) or rejects held events, in one transaction: the states change, each decision is kept
 * with who and when, and the decisions are one ledger entry. An eventID with no held or rejected event is a
 * 404 and nothing is decided. eventIDs are unique per organisation only: `organization` picks one.
 */
export async function decide(db: Db, principal: Principal, request: DecisionRequest) {
  const comment = request.comment?.trim() || null
  if (request.decision === 'reject' && comment === null) {
    throw ERRORS.validation('A rejection needs a comment: the reason given to the organisation', [{ pointer: '/comment', message: 'is required to reject' }])
  }
  return db.transaction().execute(async (trx) => {
    const rows = await lockDecidable(trx, [...new Set(request.eventIDs)], request.organization)
    const found = new Set(rows.map((r) => r.event_id))
    const missing = request.eventIDs.filter((id) => !found.has(id))
    if (missing.length > 0) throw ERRORS.noSuchResource(`No held or rejected event with eventID ${missing.join(', ')}`)
    const decidedAt = new Date()
    const fields: DecisionFields[] = rows.map((r) => ({
      eventPk: r.event_pk,
      eventId: r.event_id,
      decision: request.decision,
      comment,
      decidedBy: principal.subject,
      decidedAt,
      reasons: r.reasons,
    }))
    const state = request.decision === 'approve' ? 'published' : 'rejected'
    await setStates(trx, rows.map((r) => r.event_pk), state, decidedAt)
    // Push peers' cursors passed these events while they were held: their next turn sends them (issue 18).
    if (state === 'published') await makePeersDueForDecisions(trx)
    const ledgerEntry = await appendDecisions(trx, fields)
    return {
      ledgerEntry: ledgerEntry!,
      decisions: rows.map((r) => ({
        eventID: r.event_id,
        organization: r.organisation_id,
        decision: request.decision,
        state,
        decidedBy: principal.subject,
        decidedAt: decidedAt.toISOString(),
      })),
    }
  })
}

export function ruleView(row: PublicationRuleRow) {
  return {
    id: row.id,
    bizStep: row.biz_step,
    eventType: row.event_type,
    required: row.required,
    description: row.description,
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function putRule(
  db: Db,
  id: string,
  body: { bizStep?: string; eventType?: string; required: string[]; description?: string },
) {
  if (body.bizStep === undefined && body.eventType === undefined) {
    throw ERRORS.validation('A rule applies to a bizStep, an eventType or both', [{ pointer: '', message: 'needs bizStep or eventType' }])
  }
  let bizStep: string | null = null
  if (body.bizStep !== undefined) {
    try {
      bizStep = canonicalVocabulary('bizStep', body.bizStep)
    } catch (error) {
      throw ERRORS.validation(`bizStep: ${(error as Error).message}`, [{ pointer: '/bizStep', message: 'is not a business step' }])
    }
  }
  return upsertRule(db, { id, biz_step: bizStep, event_type: body.eventType ?? null, required: body.required, description: body.description ?? null })
}
