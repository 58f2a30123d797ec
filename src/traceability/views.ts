import { canonicalVocabulary } from '../epcis/canonical.js'
import type { GraphEdge } from './graph.js'
import type { Relation } from './types.js'
import type { SeenFact } from './history.js'
import { whereabouts } from './history.js'
import type { IdentifierLabel } from './labels.js'
import type { Declaration } from './repository.js'
import type { TracedNode } from './trace.js'

// Many nodes share an event and its time: format each time once (bounded, cleared when full).
const isoCache = new Map<number, string>()
function iso(t: number): string {
  let text = isoCache.get(t)
  if (text === undefined) {
    if (isoCache.size >= 100_000) isoCache.clear()
    isoCache.set(t, (text = new Date(t).toISOString()))
  }
  return text
}

/** An identifier as answers show it: its label, with `other` as the kind of one nothing is known of. */
export type IdentifierView = IdentifierLabel

export function identifierView(label: IdentifierLabel | undefined, id: string): IdentifierView {
  return {
    id,
    kind: label?.kind ?? ('other' as const),
    digitalLink: label?.digitalLink,
    epcUrn: label?.epcUrn,
    productName: label?.productName,
    name: label?.name,
  }
}

export interface WhereaboutsView {
  firstSeen?: string
  lastSeen?: string
  lastEventID?: string
  lastBizStep?: string
  firstBizLocation?: string
  firstBizLocationName?: string
  lastBizLocation?: string
  lastBizLocationName?: string
  lastDisposition?: string
}

export function whereaboutsView(history: SeenFact[], labels: ReadonlyMap<string, IdentifierLabel>): WhereaboutsView {
  const w = whereabouts(history)
  const location = w.lastBizLocation?.fact.bizLocation ?? undefined
  const origin = w.firstBizLocation?.fact.bizLocation ?? undefined
  return {
    firstSeen: w.firstSeen && iso(w.firstSeen.fact.t),
    lastSeen: w.lastSeen && iso(w.lastSeen.fact.t),
    lastEventID: w.lastSeen?.fact.eventId,
    lastBizStep: w.lastSeen?.fact.bizStep ?? undefined,
    firstBizLocation: origin,
    firstBizLocationName: origin === undefined ? undefined : labels.get(origin)?.name,
    lastBizLocation: location,
    lastBizLocationName: location === undefined ? undefined : labels.get(location)?.name,
    lastDisposition: w.lastDisposition?.fact.disposition ?? undefined,
  }
}

export type NodeView = IdentifierView & WhereaboutsView & { depth: number; role: TracedNode['role']; lot?: string }

export function nodeView(
  node: TracedNode,
  labels: ReadonlyMap<string, IdentifierLabel>,
  lot: string | undefined,
): NodeView {
  return {
    ...identifierView(labels.get(node.id), node.id),
    role: node.role,
    depth: node.depth,
    lot,
    ...whereaboutsView(node.history, labels),
  }
}

export interface EdgeView {
  from: string
  to: string
  relation: Relation
  eventID: string
  eventTime: string
  type?: string
  until?: string
  untilEventID?: string
}

export function edgeView(edge: GraphEdge): EdgeView {
  return {
    from: edge.from,
    to: edge.to,
    relation: edge.relation,
    eventID: edge.eventId,
    eventTime: iso(edge.t),
    type: edge.type ?? undefined,
    until: edge.until && iso(edge.until.t),
    untilEventID: edge.until?.eventId,
  }
}

export interface ErroneousEventView {
  eventID: string
  eventTime: string
  declarationTime?: string
  reason?: string
  correctiveEventIDs: string[]
}

/** Erroneous events the walk skipped, with what their declarations say (earliest declaration). */
export function erroneousViews(
  erroneous: ReadonlyMap<string, number>,
  declarations: Declaration[],
): ErroneousEventView[] {
  const first = new Map<string, Declaration>()
  for (const d of declarations) if (!first.has(d.eventId)) first.set(d.eventId, d)
  return [...erroneous]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([eventId, t]) => {
      const d = first.get(eventId)
      return {
        eventID: eventId,
        eventTime: iso(t),
        declarationTime: d?.declarationTime.toISOString(),
        reason: d?.reason ?? undefined,
        correctiveEventIDs: d?.correctiveEventIds ?? [],
      }
    })
}

/** eventIDs in event-time order. */
export function eventsInOrder(events: ReadonlyMap<string, number>): string[] {
  return [...events].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id)
}

const OWNING = canonicalVocabulary('sourceDestType', 'owning_party')
const POSSESSING = canonicalVocabulary('sourceDestType', 'possessing_party')
export const PARTY_TYPES = new Set([OWNING, POSSESSING])

/** The party of the given type after the latest event naming one: its destination, else its source. */
export function lastParty(history: SeenFact[], type: string): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    let source: string | undefined
    for (const link of history[i]!.fact.links) {
      if (link.type !== type) continue
      if (link.kind === 'destination') return link.value
      source ??= link.value
    }
    if (source !== undefined) return source
  }
  return undefined
}

export const owningParty = (history: SeenFact[]) => lastParty(history, OWNING)
export const possessingParty = (history: SeenFact[]) => lastParty(history, POSSESSING)

/** Owning and possessing parties the node (or a container carrying it) was shipped to, in time order. */
export function destinationParties(history: SeenFact[]): string[] {
  const parties = new Set<string>()
  for (const { fact } of history) {
    for (const link of fact.links) {
      if (link.kind === 'destination' && link.type !== null && PARTY_TYPES.has(link.type)) parties.add(link.value)
    }
  }
  return [...parties]
}

/** Persistent dispositions in force after the history: each event unsets, then sets. */
export function persistentDispositions(history: SeenFact[]): string[] {
  const current = new Set<string>()
  const values = (v: unknown) =>
    (Array.isArray(v) ? v : [])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => canonicalVocabulary('disposition', x))
  for (const { fact } of history) {
    const p = fact.persistent
    if (typeof p !== 'object' || p === null) continue
    for (const x of values((p as Record<string, unknown>).unset)) current.delete(x)
    for (const x of values((p as Record<string, unknown>).set)) current.add(x)
  }
  return [...current].sort()
}
