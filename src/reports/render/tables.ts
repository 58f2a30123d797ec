import type { ActivityReport } from '../activity.js'
import type { ChainReport } from '../chain.js'
import type { RecallSheet } from '../recall-sheet.js'
import { REASONS } from '../../publication/reasons.js'
import { label, type LabelKey, type ReportLanguage } from './labels.js'

export type Cell = string | number | null

/** One table of a rendered report: a sheet of the XLSX, a block of the CSV, a table of the page. */
export interface ReportTable {
  id: string
  title: string
  columns: string[]
  /** Columns holding numbers (right-aligned, typed as numbers in the XLSX). */
  numeric?: number[]
  rows: Cell[][]
  /** Shown instead of an empty table. */
  empty?: string
}

export type AnyReport = ActivityReport | ChainReport | RecallSheet

const join = (values: string[]) => values.join(' ')

function namer(report: ActivityReport | ChainReport, language: ReportLanguage) {
  const categories = new Map(report.categories.map((c) => [c.id, c.name[language]]))
  return {
    organization: (id: string | null) => id ?? label(language, 'operator'),
    category: (id: string | null, nullKey: LabelKey) => (id === null ? label(language, nullKey) : (categories.get(id) ?? id)),
  }
}

function scopeRows(report: ActivityReport | ChainReport, language: ReportLanguage): Cell[][] {
  const l = (key: LabelKey) => label(language, key)
  const name = namer(report, language)
  return [
    [l('from'), report.scope.from],
    [l('to'), report.scope.to],
    [l('organizationFilter'), report.scope.organization ?? l('all')],
    [l('categoryFilter'), report.scope.category === undefined ? l('all') : name.category(report.scope.category, 'all')],
    [l('generatedAt'), report.generatedAt],
  ]
}

function activityTables(report: ActivityReport, language: ReportLanguage): ReportTable[] {
  const l = (key: LabelKey) => label(language, key)
  const name = namer(report, language)
  const publication = report.publication
  return [
    {
      id: 'totals',
      title: l('totals'),
      columns: [l('measure'), l('value')],
      rows: [
        ...scopeRows(report, language),
        [l('events'), report.totals.events],
        [l('organizations'), report.totals.organizations],
        [l('gtins'), report.totals.gtins],
        [l('lots'), report.totals.lots],
        [l('recalls'), report.totals.recalls],
        [l('held'), report.publication.held],
        [l('rejected'), report.publication.rejected],
      ],
    },
    {
      id: 'organizations',
      title: l('organizations'),
      columns: [l('organization'), l('name'), l('events'), l('gtins'), l('lots'), l('firstEvent'), l('lastEvent')],
      numeric: [2, 3, 4],
      rows: report.organizations.map((o) => [name.organization(o.organization), o.name ?? null, o.events, o.gtins, o.lots, o.firstEvent, o.lastEvent]),
    },
    {
      id: 'categories',
      title: l('byCategory'),
      columns: [l('organization'), l('category'), l('events'), l('gtins'), l('lots')],
      numeric: [2, 3, 4],
      rows: report.byCategory.map((c) => [name.organization(c.organization), name.category(c.category, 'none'), c.events, c.gtins, c.lots]),
    },
    {
      id: 'events',
      title: l('eventsByType'),
      columns: [l('organization'), l('category'), l('eventType'), l('bizStep'), l('events')],
      numeric: [4],
      rows: report.eventsByType.map((e) => [name.organization(e.organization), name.category(e.category, 'none'), e.eventType, e.bizStep, e.events]),
    },
    {
      id: 'publication',
      title: l('publication'),
      columns: [l('eventID'), l('organization'), l('eventTime'), l('state'), l('reasons')],
      rows: publication.events.map((e) => [
        e.eventID,
        name.organization(e.organization),
        e.eventTime,
        l(e.state),
        [...e.reasons.map((code) => (Object.hasOwn(REASONS, code) ? REASONS[code as keyof typeof REASONS][language] : code)), ...(e.comment ? [e.comment] : [])].join('; '),
      ]),
      ...(publication.available ? {} : { empty: l('publicationUnavailable') }),
    },
    {
      id: 'recalls',
      title: l('recallEvents'),
      columns: [l('eventID'), l('organization'), l('eventTime'), l('location'), l('identifiers'), l('itemsReached'), l('items')],
      numeric: [5],
      rows: report.recalls.map((r) => [r.eventID, name.organization(r.organization), r.eventTime, r.bizLocation, join(r.identifiers), r.itemsReached, join(r.items)]),
    },
  ]
}

function chainTables(report: ChainReport, language: ReportLanguage): ReportTable[] {
  const l = (key: LabelKey) => label(language, key)
  const name = namer(report, language)
  const who = (organization: string | null) => organization ?? l('unregistered')
  return [
    {
      id: 'totals',
      title: l('totals'),
      columns: [l('measure'), l('value')],
      rows: [
        ...scopeRows(report, language),
        [l('originDepth'), report.originDepth],
        [l('receipts'), report.checks.receipts],
        [l('shipments'), report.checks.shipments],
        [l('retailItems'), report.checks.retailItems],
        [l('gaps'), report.gaps.length],
      ],
    },
    {
      id: 'completeness',
      title: l('completeness'),
      columns: [l('organization'), l('name'), l('category'), l('complete'), l('total'), l('share')],
      numeric: [3, 4, 5],
      rows: report.completeness.map((c) => [who(c.organization), c.organizationName ?? null, name.category(c.category, 'all'), c.complete, c.total, c.share]),
    },
    {
      id: 'gaps',
      title: l('gaps'),
      columns: [l('gapKind'), l('organization'), l('name'), l('party'), l('eventID'), l('eventTime'), l('reportedBy'), l('identifiers')],
      rows: report.gaps.map((g) => [
        l(g.kind),
        who(g.organization),
        g.organizationName ?? null,
        g.party,
        join(g.eventIDs),
        g.eventTime ?? null,
        g.reportedBy === undefined ? null : name.organization(g.reportedBy),
        join(g.identifiers),
      ]),
      empty: l('noGaps'),
    },
  ]
}

function recallTables(report: RecallSheet, language: ReportLanguage): ReportTable[] {
  const l = (key: LabelKey) => label(language, key)
  const keys: LabelKey[] = ['item', 'epcUrn', 'lot', 'gtin', 'product', 'quantity', 'unit', 'eventTime', 'bizStep', 'eventType', 'location', 'locationName', 'source', 'destination', 'bizTransactions', 'via', 'eventID', 'reportedBy']
  return [
    {
      id: 'recall',
      title: `${l('recallTitle')}: ${report.root}`,
      columns: keys.map(l),
      rows: report.rows.map((r) => [
        r.item, r.epcUrn ?? null, r.lot ?? null, r.gtin ?? null, r.product ?? null, r.quantity ?? null, r.unit ?? null, r.eventTime,
        r.bizStep ?? null, r.eventType, r.location ?? null, r.locationName ?? null, join(r.source), join(r.destination),
        join(r.bizTransactions), r.via ?? null, r.eventID, r.recordedByName ?? r.recordedBy ?? null,
      ]),
    },
  ]
}

export function reportTables(report: AnyReport, language: ReportLanguage): ReportTable[] {
  if (report.kind === 'activity') return activityTables(report, language)
  if (report.kind === 'chain') return chainTables(report, language)
  return recallTables(report, language)
}

export function reportTitle(report: AnyReport, language: ReportLanguage): string {
  return label(language, report.kind === 'activity' ? 'activityTitle' : report.kind === 'chain' ? 'chainTitle' : 'recallTitle')
}
