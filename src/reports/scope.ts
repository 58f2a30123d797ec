import { parseInstant } from '../epcis/date-time.js'
import { ERRORS } from '../errors.js'

/** What a report covers: events whose eventTime is in [from, to), optionally one organisation and one category. */
export interface ReportScope {
  from: Date
  to: Date
  organization?: string
  category?: string
  /** false: no stored event was recorded elsewhere, so each event's organisation is its recorder (recording-organisation.ts). */
  recordedElsewhere?: boolean
}

export interface ScopeQuery {
  from: string
  to: string
  organization?: string
  category?: string
}

function instant(value: string, name: string): Date {
  const parsed = parseInstant(value)
  if (parsed === undefined) throw ERRORS.queryParameter(`${name} is not an ISO 8601 date-time: ${value}`, [{ pointer: name, message: 'must be a date-time' }])
  return parsed
}

export function reportScope(query: ScopeQuery): ReportScope {
  const from = instant(query.from, 'from')
  const to = instant(query.to, 'to')
  if (from >= to) throw ERRORS.queryParameter('from must be before to', [{ pointer: 'to', message: 'must be after from' }])
  return {
    from,
    to,
    ...(query.organization === undefined ? {} : { organization: query.organization }),
    ...(query.category === undefined ? {} : { category: query.category }),
  }
}

export interface ScopeView {
  from: string
  to: string
  organization?: string
  category?: string
}

export function scopeView(scope: ReportScope): ScopeView {
  const { recordedElsewhere: _, ...shown } = scope
  return { ...shown, from: scope.from.toISOString(), to: scope.to.toISOString() }
}
