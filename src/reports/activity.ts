import type { TraceDb } from '../traceability/walk.js'
import { recall, TRACE_LIMITS } from '../traceability/service.js'
import { eventCounts, keyCounts, organisationTotals, recallEvents } from './activity-repository.js'
import { pickCategories, type CategoryMatcher } from './categories.js'
import { organisationDirectory } from './organisations.js'
import { materialiseScope } from './event-scope.js'
import { anyRecordedElsewhere } from './recording-organisation.js'
import { publicationSection, type PublicationSection } from './publication.js'
import { scopeView, type ReportScope, type ScopeView } from './scope.js'

/** Recalled events listed with the items they reached; more are counted but not traced. */
const RECALLS_TRACED = 100

export interface ActivityReport {
  kind: 'activity'
  scope: ScopeView
  generatedAt: string
  categories: Array<{ id: string; name: { vi: string; en: string } }>
  totals: { events: number; organizations: number; gtins: number; lots: number; recalls: number }
  /** Organisations that captured events in the period (null: an operator key). */
  organizations: Array<{ organization: string | null; name?: string; events: number; gtins: number; lots: number; firstEvent: string; lastEvent: string }>
  /** Per organisation and category (null: none of the categories) */
  byCategory: Array<{ organization: string | null; category: string | null; events: number; gtins: number; lots: number }>
  eventsByType: Array<{ organization: string | null; category: string | null; eventType: string; bizStep: string | null; events: number }>
  /** Events by type and business step over every organisation and category, each event once */
  eventsByStep: Array<{ eventType: string; bizStep: string | null; events: number }>
  publication: PublicationSection
  recalls: Array<{
    eventID: string
    organization: string | null
    eventTime: string
    bizLocation: string | null
    identifiers: string[]
    itemsReached: number
    items: string[]
    truncated: boolean
  }>
}

const CBV = 'https://ref.gs1.org/cbv/BizStep-'
const shortStep = (step: string | null) => (step?.startsWith(CBV) ? step.slice(CBV.length) : step)

export async function activityReport(deps: TraceDb, given: ReportScope, all: CategoryMatcher[], now = new Date()): Promise<ActivityReport> {
  const scope = { ...given, recordedElsewhere: await anyRecordedElsewhere(deps.db) }
  const categories = pickCategories(all, scope.category)
  const [{ counts, totals, keys, recalled }, publication, directory] = await Promise.all([
    deps.db.transaction().execute(async (trx) => {
      await materialiseScope(trx, scope, categories)
      return {
        counts: await eventCounts(trx, categories),
        totals: await organisationTotals(trx),
        keys: await keyCounts(trx, scope, categories),
        recalled: await recallEvents(trx, RECALLS_TRACED),
      }
    }),
    publicationSection(deps.db, scope, categories),
    organisationDirectory(deps.db),
  ])
  const keyRow = (org: string | null, category: string | null | 'all') =>
    keys.find((k) => !k.all_organisations && k.organisation_id === org && (category === 'all' ? k.all_categories : !k.all_categories && k.category === category))
  const overall = keys.find((k) => k.all_organisations)
  const byCategory = new Map<string, { organization: string | null; category: string | null; events: number; gtins: number; lots: number }>()
  for (const row of counts.filter((c) => !c.overall)) {
    const id = `${row.organisation_id}\u0000${row.category}`
    const entry = byCategory.get(id) ?? { organization: row.organisation_id, category: row.category, events: 0, gtins: keyRow(row.organisation_id, row.category)?.gtins ?? 0, lots: keyRow(row.organisation_id, row.category)?.lots ?? 0 }
    entry.events += row.events
    byCategory.set(id, entry)
  }
  const recalls: ActivityReport['recalls'] = []
  for (const event of recalled) {
    const items = new Set<string>()
    let truncated = false
    for (const identifier of event.identifiers) {
      const answer = await recall(deps, { epc: identifier, maxDepth: TRACE_LIMITS.defaultDepth })
      for (const item of answer.items) if (item.id !== identifier) items.add(item.id)
      truncated ||= answer.truncated
    }
    recalls.push({
      eventID: event.event_id,
      organization: event.organisation_id,
      eventTime: event.event_time.toISOString(),
      bizLocation: event.biz_location,
      identifiers: event.identifiers,
      itemsReached: items.size,
      items: [...items].sort(),
      truncated,
    })
  }
  return {
    kind: 'activity',
    scope: scopeView(scope),
    generatedAt: now.toISOString(),
    categories: categories.map((c) => ({ id: c.id, name: c.name })),
    totals: {
      events: totals.reduce((sum, t) => sum + t.events, 0),
      organizations: totals.filter((t) => t.organisation_id !== null).length,
      gtins: overall?.gtins ?? 0,
      lots: overall?.lots ?? 0,
      recalls: recalled.length,
    },
    organizations: totals.map((t) => {
      const name = t.organisation_id === null ? undefined : directory.name(t.organisation_id)
      const k = keyRow(t.organisation_id, 'all')
      return {
        organization: t.organisation_id,
        ...(name === undefined ? {} : { name }),
        events: t.events,
        gtins: k?.gtins ?? 0,
        lots: k?.lots ?? 0,
        firstEvent: t.first_event.toISOString(),
        lastEvent: t.last_event.toISOString(),
      }
    }),
    byCategory: [...byCategory.values()],
    eventsByStep: counts.filter((c) => c.overall).map((c) => ({ eventType: c.event_type, bizStep: shortStep(c.biz_step), events: c.events })),
    eventsByType: counts.filter((c) => !c.overall).map((c) => ({ organization: c.organisation_id, category: c.category, eventType: c.event_type, bizStep: shortStep(c.biz_step), events: c.events })),
    publication,
    recalls,
  }
}
