import type { Db } from '../db/database.js'
import { parseInstant } from '../epcis/date-time.js'
import { canonicalIdentifier } from '../epcis/canonical.js'
import { ERRORS } from '../errors.js'
import { whereabouts } from './history.js'
import { labelIdentifiers, type IdentifierLabel, type PlaceRole } from './labels.js'
import { findDeclarations } from './repository.js'
import { isUnknown, trace, type Trace, type TracedNode } from './trace.js'
import type { TraceDb, TruncationReason } from './walk.js'
import type { LineageDirection, WalkDirection } from './types.js'
import {
  destinationParties,
  edgeView,
  erroneousViews,
  eventsInOrder,
  identifierView,
  nodeView,
  owningParty,
  persistentDispositions,
  possessingParty,
  whereaboutsView,
  type EdgeView,
  type ErroneousEventView,
  type IdentifierView,
  type NodeView,
  type WhereaboutsView,
} from './views.js'
import { everyEvent, type EventVisibility } from './visibility.js'

export const TRACE_LIMITS = {
  defaultDepth: 10,
  maxDepth: 50,
  /** Identifiers one walk may reach before it stops and says truncated. */
  nodeLimit: 50_000,
  /** Containers above one identifier the state question follows. */
  containerDepth: 50,
} as const

export interface TraceQuery {
  /** EPC URN or Digital Link, instance or class */
  epc: string
  /** ISO 8601: only events that happened at or before this time count */
  at?: string
  visible?: EventVisibility
}

function rootKey(epc: string): string {
  try {
    return canonicalIdentifier(epc)
  } catch (error) {
    const message = (error as Error).message
    throw ERRORS.queryParameter(`epc is not a valid identifier: ${message}`, [{ pointer: 'epc', message }])
  }
}

function atTime(at: string | undefined): Date | null {
  if (at === undefined) return null
  const instant = parseInstant(at)
  if (instant === undefined) {
    throw ERRORS.queryParameter(`at is not a date-time from year 0001 to 9999: ${at}`, [{ pointer: 'at', message: 'must be a date-time' }])
  }
  return instant
}

const walkLimits = (maxDepth: number) => ({ maxDepth, nodeLimit: TRACE_LIMITS.nodeLimit })

function known(t: Trace, epc: string): Trace {
  if (isUnknown(t)) throw ERRORS.noSuchResource(`No visible event names ${epc}`)
  return t
}

/** Labels of every node and of every place named as a node's last (and, when asked, first) business location. */
async function labelsFor(db: Db, t: Trace, firstLocations = true): Promise<Map<string, IdentifierLabel>> {
  const ids = new Set(t.nodes.keys())
  const roles = new Map<string, PlaceRole>()
  for (const node of t.nodes.values()) {
    const w = whereabouts(node.history)
    for (const seen of firstLocations ? [w.firstBizLocation, w.lastBizLocation] : [w.lastBizLocation]) {
      const place = seen?.fact.bizLocation
      if (place && !t.nodes.has(place)) roles.set(place, 'bizLocation')
      if (place) ids.add(place)
    }
  }
  return labelIdentifiers(db, ids, t.lots, roles)
}

const byDepth = (a: TracedNode, b: TracedNode) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export interface LineageAnswer {
  root: string
  direction: LineageDirection
  maxDepth: number
  at?: string
  nodes: NodeView[]
  edges: EdgeView[]
  events: string[]
  erroneousEvents: ErroneousEventView[]
  truncated: boolean
  truncatedBy?: TruncationReason[]
}

export async function lineage(
  deps: TraceDb,
  query: TraceQuery & { direction: LineageDirection; maxDepth: number },
): Promise<LineageAnswer> {
  const root = rootKey(query.epc)
  const at = atTime(query.at)
  const visible = query.visible ?? everyEvent
  const directions: WalkDirection[] = query.direction === 'both' ? ['upstream', 'downstream'] : [query.direction]
  const t = known(
    await trace(deps, root, directions, { ...walkLimits(query.maxDepth), at, visible, withPersistent: false }),
    query.epc,
  )
  const [labels, declarations] = await Promise.all([
    labelsFor(deps.db, t),
    findDeclarations(deps.db, [...t.erroneous.keys()], visible),
  ])
  return {
    root,
    direction: query.direction,
    maxDepth: query.maxDepth,
    ...(at ? { at: at.toISOString() } : {}),
    nodes: [...t.nodes.values()].sort(byDepth).map((node) => nodeView(node, labels, t.lots.get(node.id))),
    edges: [...t.edges].sort((a, b) => a.t - b.t).map(edgeView),
    events: eventsInOrder(t.events),
    erroneousEvents: erroneousViews(t.erroneous, declarations),
    truncated: t.truncatedBy.size > 0,
    ...(t.truncatedBy.size > 0 ? { truncatedBy: [...t.truncatedBy] } : {}),
  }
}

export interface ContainerView {
  id: string
  relation: string
  since: string
  eventID: string
}

type OpenContainments = Map<string, ContainerView & { t: number }>

/** For each node, the latest aggregation/association it entered and has not left at the end of the trace. */
function openContainments(t: Trace): OpenContainments {
  const open: OpenContainments = new Map()
  for (const edge of t.edges) {
    if ((edge.relation !== 'aggregated_into' && edge.relation !== 'associated_with') || edge.until) continue
    const known = open.get(edge.from)
    if (!known || known.t < edge.t) {
      const since = new Date(edge.t).toISOString()
      open.set(edge.from, { id: edge.to, relation: edge.relation, since, eventID: edge.eventId, t: edge.t })
    }
  }
  return open
}

/** The containers a node is in at the end of the trace, innermost first. */
function containersOf(open: OpenContainments, id: string): ContainerView[] {
  const chain: ContainerView[] = []
  const seen = new Set([id])
  for (let next = open.get(id); next && !seen.has(next.id); next = open.get(next.id)) {
    seen.add(next.id)
    chain.push({ id: next.id, relation: next.relation, since: next.since, eventID: next.eventID })
  }
  return chain
}

/** An affected item: where it is now (its id is its Digital Link; where it came from is the lineage question). */
export type RecallItem = Omit<IdentifierView, 'digitalLink' | 'name'> &
  Omit<WhereaboutsView, 'firstSeen' | 'firstBizLocation' | 'firstBizLocationName'> & {
    depth: number
    lot?: string
    container?: string
    owningParty?: string
    possessingParty?: string
    shippedTo: string[]
  }

export interface RecallPlace extends IdentifierView {
  items: number
}

export interface RecallAnswer {
  root: string
  at?: string
  items: RecallItem[]
  locations: RecallPlace[]
  parties: RecallPlace[]
  erroneousEvents: ErroneousEventView[]
  truncated: boolean
  truncatedBy?: TruncationReason[]
}

/**
 * Everything made from or shipped with the identifier (downstream, content nodes that are products: not
 * containers, places or parties), each with where it was last seen; the distinct business locations where
 * they were last seen and the owning/possessing parties they (or containers carrying them) were shipped to.
 */
export async function recall(deps: TraceDb, query: TraceQuery & { maxDepth: number }): Promise<RecallAnswer> {
  const root = rootKey(query.epc)
  const at = atTime(query.at)
  const visible = query.visible ?? everyEvent
  const t = known(
    await trace(deps, root, ['downstream'], { ...walkLimits(query.maxDepth), at, visible, withPersistent: false }),
    query.epc,
  )
  const [labels, declarations] = await Promise.all([
    labelsFor(deps.db, t, false),
    findDeclarations(deps.db, [...t.erroneous.keys()], visible),
  ])
  const affected = [...t.nodes.values()]
    .filter((n) => n.role === 'root' || n.role === 'lineage')
    .filter((n) => labels.get(n.id)?.kind !== 'location' && labels.get(n.id)?.kind !== 'party')
    .sort(byDepth)
  const locations = new Map<string, number>()
  const parties = new Map<string, number>()
  const open = openContainments(t)
  const items = affected.map((node): RecallItem => {
    const where = whereaboutsView(node.history, labels)
    const shippedTo = destinationParties(node.history)
    if (where.lastBizLocation) locations.set(where.lastBizLocation, (locations.get(where.lastBizLocation) ?? 0) + 1)
    for (const party of shippedTo) parties.set(party, (parties.get(party) ?? 0) + 1)
    const label = labels.get(node.id)
    return {
      id: node.id,
      kind: label?.kind ?? 'other',
      epcUrn: label?.epcUrn,
      productName: label?.productName,
      depth: node.depth,
      lot: t.lots.get(node.id),
      lastSeen: where.lastSeen,
      lastEventID: where.lastEventID,
      lastBizStep: where.lastBizStep,
      lastBizLocation: where.lastBizLocation,
      lastBizLocationName: where.lastBizLocationName,
      lastDisposition: where.lastDisposition,
      container: open.get(node.id)?.id,
      owningParty: owningParty(node.history),
      possessingParty: possessingParty(node.history),
      shippedTo,
    }
  })
  const placeRoles = new Map<string, PlaceRole>([
    ...[...parties.keys()].map((id): [string, PlaceRole] => [id, 'party']),
    ...[...locations.keys()].map((id): [string, PlaceRole] => [id, 'bizLocation']),
  ])
  const placeLabels = await labelIdentifiers(deps.db, placeRoles.keys(), new Map(), placeRoles)
  const places = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([id, count]) => ({ ...identifierView(placeLabels.get(id), id), items: count }))
  return {
    root,
    ...(at ? { at: at.toISOString() } : {}),
    items,
    locations: places(locations),
    parties: places(parties),
    erroneousEvents: erroneousViews(t.erroneous, declarations),
    truncated: t.truncatedBy.size > 0,
    ...(t.truncatedBy.size > 0 ? { truncatedBy: [...t.truncatedBy] } : {}),
  }
}

export interface StateAnswer extends IdentifierView {
  at?: string
  firstSeen?: string
  lastEvent?: {
    eventID: string
    eventTime: string
    eventType: string
    action?: string
    bizStep?: string
    disposition?: string
    bizLocation?: string
    readPoint?: string
    /** the container whose event this is, when it is not the identifier's own */
    via?: string
  }
  bizLocation?: string
  bizLocationName?: string
  readPoint?: string
  disposition?: string
  persistentDispositions: string[]
  container?: string
  containers: ContainerView[]
  owningParty?: string
  owningPartyName?: string
  possessingParty?: string
  possessingPartyName?: string
  erroneousEvents: ErroneousEventView[]
}

/** The roles of the places a state answer names: its business location and its owning and possessing parties. */
function stateRoles(root: string, location: string | undefined, parties: (string | undefined)[]): Map<string, PlaceRole> {
  const roles = new Map<string, PlaceRole>()
  for (const party of parties) if (party && party !== root) roles.set(party, 'party')
  if (location && location !== root) roles.set(location, 'bizLocation')
  return roles
}

/** The state of one identifier at a time (default: now): its own events and its containers' while it was inside. */
export async function state(deps: TraceDb, query: TraceQuery): Promise<StateAnswer> {
  const root = rootKey(query.epc)
  const at = atTime(query.at)
  const visible = query.visible ?? everyEvent
  const t = known(
    await trace(deps, root, ['upstream'], {
      maxDepth: TRACE_LIMITS.containerDepth,
      nodeLimit: TRACE_LIMITS.nodeLimit,
      at,
      visible,
      withPersistent: true,
      containersOnly: true,
    }),
    query.epc,
  )
  const history = t.nodes.get(root)!.history
  const w = whereabouts(history)
  const lastReadPoint = [...history].reverse().find((s) => s.fact.readPoint !== null)?.fact.readPoint ?? undefined
  const owner = owningParty(history)
  const possessor = possessingParty(history)
  const location = w.lastBizLocation?.fact.bizLocation ?? undefined
  const containers = containersOf(openContainments(t), root)
  const [labels, declarations] = await Promise.all([
    labelIdentifiers(deps.db, [root, ...[location, owner, possessor].filter((x): x is string => !!x)], t.lots, stateRoles(root, location, [owner, possessor])),
    findDeclarations(deps.db, [...t.erroneous.keys()], visible),
  ])
  const last = w.lastSeen
  const answer: StateAnswer = {
    ...identifierView(labels.get(root), root),
    ...(at ? { at: at.toISOString() } : {}),
    persistentDispositions: persistentDispositions(history),
    containers,
    erroneousEvents: erroneousViews(t.erroneous, declarations),
  }
  if (w.firstSeen) answer.firstSeen = new Date(w.firstSeen.fact.t).toISOString()
  if (last) {
    const f = last.fact
    answer.lastEvent = {
      eventID: f.eventId,
      eventTime: new Date(f.t).toISOString(),
      eventType: f.eventType,
      ...(f.action ? { action: f.action } : {}),
      ...(f.bizStep ? { bizStep: f.bizStep } : {}),
      ...(f.disposition ? { disposition: f.disposition } : {}),
      ...(f.bizLocation ? { bizLocation: f.bizLocation } : {}),
      ...(f.readPoint ? { readPoint: f.readPoint } : {}),
      ...(last.via ? { via: last.via } : {}),
    }
  }
  if (location) {
    answer.bizLocation = location
    const name = labels.get(location)?.name
    if (name) answer.bizLocationName = name
  }
  if (lastReadPoint) answer.readPoint = lastReadPoint
  const disposition = w.lastDisposition?.fact.disposition
  if (disposition) answer.disposition = disposition
  if (containers[0]) answer.container = containers[0].id
  if (owner) {
    answer.owningParty = owner
    const name = labels.get(owner)?.name
    if (name) answer.owningPartyName = name
  }
  if (possessor) {
    answer.possessingParty = possessor
    const name = labels.get(possessor)?.name
    if (name) answer.possessingPartyName = name
  }
  return answer
}
