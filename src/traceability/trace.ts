import { graphOf, type Graph, type GraphEdge } from './graph.js'
import { Histories, type SeenFact } from './history.js'
import { ALWAYS, type WalkDirection } from './types.js'
import { walkFrom, type TraceDb, type TruncationReason, type WalkNode, type WalkOptions } from './walk.js'

/** One identifier as the trace knows it: from whichever walk reached it as content, else as a container. */
export interface TracedNode {
  id: string
  depth: number
  role: 'root' | 'lineage' | 'container' | 'destination'
  /** events placing it in time (own, and its containers' while it was inside), oldest first */
  history: SeenFact[]
}

/** The result of one or two walks (both directions), merged. */
export interface Trace {
  root: string
  nodes: Map<string, TracedNode>
  edges: GraphEdge[]
  events: Map<string, number>
  erroneous: Map<string, number>
  /** serial -> lot, from member_of_lot edges */
  lots: Map<string, string>
  truncatedBy: Set<TruncationReason>
  roundTrips: number
}

function historyOf(histories: Histories, node: WalkNode): SeenFact[] {
  if (node.content) return histories.of(node.id, ALWAYS)
  if (node.intervals.length === 1) return histories.of(node.id, node.intervals[0]!)
  const byPk = new Map<number, SeenFact>()
  for (const interval of node.intervals) {
    for (const seen of histories.of(node.id, interval)) byPk.set(seen.fact.pk, seen)
  }
  return [...byPk.values()].sort((a, b) => a.fact.t - b.fact.t || a.fact.pk - b.fact.pk)
}

/** Walks from the root in each direction asked (concurrently for both) and merges what they found. */
export async function trace(
  deps: TraceDb,
  root: string,
  directions: WalkDirection[],
  options: Omit<WalkOptions, 'direction'>,
): Promise<Trace> {
  const walks = await Promise.all(directions.map((direction) => walkFrom(deps, root, { ...options, direction })))
  const result: Trace = {
    root,
    nodes: new Map(),
    edges: [],
    events: new Map(),
    erroneous: new Map(),
    lots: new Map(),
    truncatedBy: new Set(),
    roundTrips: 0,
  }
  const graphs: Graph[] = []
  for (const walk of walks) {
    const histories = new Histories(walk.nodes)
    for (const node of walk.nodes.values()) {
      const known = result.nodes.get(node.id)
      const role = node.id === root ? 'root' : node.content ? 'lineage' : 'container'
      if (known && (known.role === 'root' || known.role === 'lineage' || role === 'container')) {
        known.depth = Math.min(known.depth, node.depth)
        continue
      }
      const depth = Math.min(node.depth, known?.depth ?? Infinity)
      result.nodes.set(node.id, { id: node.id, depth, role, history: historyOf(histories, node) })
    }
    for (const reason of walk.truncatedBy) result.truncatedBy.add(reason)
    result.roundTrips += walk.roundTrips
    graphs.push(graphOf(walk))
  }
  const edgeKeys = new Set<string>()
  for (const graph of graphs) {
    for (const edge of graph.edges) {
      if (graphs.length > 1) {
        // Both walks start at the root: the root's own edges come twice.
        const key = `${edge.from} ${edge.to} ${edge.relation} ${edge.eventId} ${edge.type ?? ''}`
        if (edgeKeys.has(key)) continue
        edgeKeys.add(key)
      }
      result.edges.push(edge)
      if (edge.relation === 'member_of_lot') result.lots.set(edge.from, edge.to)
    }
    for (const [id, t] of graph.events) result.events.set(id, t)
    for (const [id, t] of graph.erroneous) result.erroneous.set(id, t)
    for (const [id, depth] of graph.destinations) {
      const known = result.nodes.get(id)
      if (!known) result.nodes.set(id, { id, depth, role: 'destination', history: [] })
      else known.depth = Math.min(known.depth, depth)
    }
  }
  return result
}

/** True when the walks found nothing at all about the root (no visible event names it, no lot lists it). */
export function isUnknown(trace: Trace): boolean {
  const root = trace.nodes.get(trace.root)
  return !!root && root.history.length === 0 && trace.edges.length === 0 && trace.erroneous.size === 0
}
