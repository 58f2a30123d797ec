import type { Db } from '../db/database.js'
import { pickCategories, type CategoryMatcher } from './categories.js'
import { linkChecks, originChecks, type LinkChecks } from './chain-repository.js'
import { forwardedRecorders, organisationDirectory, type OrganisationDirectory } from './organisations.js'
import { scopeView, type ReportScope, type ScopeView } from './scope.js'
import { anyRecordedElsewhere } from './recording-organisation.js'

export type GapKind = 'missing-shipping' | 'missing-receiving' | 'no-origin'

export interface ChainGap {
  kind: GapKind
  /**
   * The organisation whose step is missing: registered here, else the name (GLN / PGLN Digital Link) of an
   * enterprise recorded as the origin of events forwarded here; null: neither.
   */
  organization: string | null
  organizationName?: string
  /** The party or identifier the missing step belongs to, as a canonical key. */
  party: string
  /** The event that shows the gap: the receipt without shipment, the shipment without receipt, a sale without origin. */
  eventIDs: string[]
  eventTime?: string
  /** Who recorded the event that shows the gap (its origin organisation when forwarded here, not the forwarder). */
  reportedBy?: string | null
  identifiers: string[]
  /** no-origin: the end of the upstream walk that is not commissioned, and whether the walk stopped at the depth limit there. */
  end?: string
  depthLimited?: boolean
}

export interface Completeness {
  organization: string | null
  organizationName?: string
  /** null: every check of the organisation, whatever the category */
  category: string | null
  complete: number
  total: number
  share: number
}

export interface ChainReport {
  kind: 'chain'
  scope: ScopeView
  generatedAt: string
  originDepth: number
  categories: Array<{ id: string; name: { vi: string; en: string } }>
  checks: { receipts: number; shipments: number; retailItems: number }
  completeness: Completeness[]
  gaps: ChainGap[]
}

interface Tally {
  organization: string | null
  party?: string
  category: string | null
  complete: number
  total: number
}

const share = (complete: number, total: number) => (total === 0 ? 1 : Math.round((complete / total) * 10_000) / 10_000)

class Completion {
  private readonly tallies = new Map<string, Tally>()

  add(organization: string | null, categories: Array<string | null>, complete: number, total: number): void {
    const keys = new Set<string | null>([null, ...categories.filter((c) => c !== null)])
    for (const category of keys) {
      const key = `${organization}\u0000${category}`
      const tally = this.tallies.get(key) ?? { organization, category, complete: 0, total: 0 }
      tally.complete += complete
      tally.total += total
      this.tallies.set(key, tally)
    }
  }

  rows(directory: OrganisationDirectory): Completeness[] {
    return [...this.tallies.values()]
      .sort((a, b) => String(a.organization).localeCompare(String(b.organization)) || String(a.category ?? '').localeCompare(String(b.category ?? '')))
      .map((t) => {
        const name = t.organization === null ? undefined : directory.name(t.organization)
        return { organization: t.organization, ...(name ? { organizationName: name } : {}), category: t.category, complete: t.complete, total: t.total, share: share(t.complete, t.total) }
      })
  }
}

/**
 * The chain report: who failed to record their step ("one step before, one step after"), per organisation and
 * category. Checks are counted against the organisation whose step they expect: a receipt checks its source's
 * shipment, a shipment its destination's receipt, a retail item the commissioning at the end of its upstream
 * trace (the organisation whose company prefix the end carries, else the one that first recorded it).
 */
export async function chainReport(db: Db, given: ReportScope, all: CategoryMatcher[], originDepth: number, now = new Date()): Promise<ChainReport> {
  const scope = { ...given, recordedElsewhere: await anyRecordedElsewhere(db) }
  const categories = pickCategories(all, scope.category)
  const [receipts, shipments, origins, directory] = await Promise.all([
    linkChecks(db, scope, categories, 'receipts'),
    linkChecks(db, scope, categories, 'shipments'),
    originChecks(db, scope, categories, originDepth),
    organisationDirectory(db),
  ])
  const parties = [receipts, shipments].flatMap((checks) => [...checks.counts, ...checks.gaps].map((row) => row.party))
  const elsewhere = await forwardedRecorders(db, directory, parties)
  const organisationOf = (party: string) => directory.ofParty(party) ?? elsewhere.get(party) ?? null
  const completion = new Completion()
  const gaps: ChainGap[] = []
  const named = (organization: string | null) => {
    const name = organization === null ? undefined : directory.name(organization)
    return { organization, ...(name ? { organizationName: name } : {}) }
  }
  const addLinks = (checks: LinkChecks, kind: GapKind) => {
    for (const row of checks.counts) completion.add(organisationOf(row.party), row.categories, row.complete, row.total)
    for (const gap of checks.gaps) {
      gaps.push({
        kind,
        ...named(organisationOf(gap.party)),
        party: gap.party,
        eventIDs: [gap.event_id],
        eventTime: gap.event_time.toISOString(),
        reportedBy: gap.organisation_id,
        identifiers: gap.identifiers,
      })
    }
  }
  addLinks(receipts, 'missing-shipping')
  addLinks(shipments, 'missing-receiving')

  const rootsOf = new Map<string, typeof origins.roots>()
  for (const row of origins.roots) rootsOf.set(row.root, [...(rootsOf.get(row.root) ?? []), row])
  for (const end of origins.ends) {
    const organization = directory.ofIdentifier(end.leaf) ?? end.first_capturer
    const reached = end.origin && !end.truncated
    for (const row of rootsOf.get(end.root) ?? []) completion.add(organization, row.categories, reached ? row.items : 0, row.items)
    if (!reached) {
      gaps.push({
        kind: 'no-origin',
        ...named(organization),
        party: end.leaf,
        eventIDs: [],
        identifiers: origins.gapItems.get(end.root) ?? [],
        end: end.leaf,
        depthLimited: end.truncated,
      })
    }
  }
  const order: Record<GapKind, number> = { 'missing-shipping': 0, 'missing-receiving': 1, 'no-origin': 2 }
  gaps.sort((a, b) => order[a.kind] - order[b.kind] || String(a.organization).localeCompare(String(b.organization)) || a.party.localeCompare(b.party) || (a.eventTime ?? '').localeCompare(b.eventTime ?? ''))
  const keep = (organization: string | null) => scope.organization === undefined || organization === scope.organization
  return {
    kind: 'chain',
    scope: scopeView(scope),
    generatedAt: now.toISOString(),
    originDepth,
    categories: categories.map((c) => ({ id: c.id, name: c.name })),
    checks: {
      receipts: receipts.counts.reduce((s, r) => s + r.total, 0),
      shipments: shipments.counts.reduce((s, r) => s + r.total, 0),
      retailItems: origins.roots.reduce((sum, r) => sum + r.items, 0),
    },
    completeness: completion.rows(directory).filter((c) => keep(c.organization)),
    gaps: gaps.filter((g) => keep(g.organization)),
  }
}
