import { contains, intersect } from './intervals.js'
import type { Relation } from './types.js'
import { windowOf, type Walk, type WalkNode } from './walk.js'

export interface GraphEdge {
  from: string
  to: string
  relation: Relation
  eventId: string
  t: number
  /** aggregated_into / associated_with: when the child left the container (DELETE), if it did */
  until?: { eventId: string; t: number }
  /** shipped_to: the source/destination type (CBV Web URI), e.g. owning_party */
  type?: string | null
}

export interface Graph {
  edges: GraphEdge[]
  /** eventID -> event time of every event the answer rests on */
  events: Map<string, number>
  /** Destinations of shipments (locations, parties) with their distance from the root */
  destinations: Map<string, number>
  /** Events declared erroneous that the walk met and skipped */
  erroneous: Map<string, number>
}

/**
 * The edges and events a walk established: transformation and lot edges of content nodes, containment
 * edges (of containers only for the time something the question is about was inside), and the shipments
 * (destinationList) of content nodes and of containers while they carried such things. Every edge comes
 * from exactly one node (a containment from its child, a transformation or lot from the node the walk came
 * from), so none needs removing twice.
 */
export function graphOf(walk: Walk): Graph {
  const graph: Graph = { edges: [], events: new Map(), destinations: new Map(), erroneous: new Map() }
  const addEdge = (edge: GraphEdge) => {
    graph.edges.push(edge)
    graph.events.set(edge.eventId, edge.t)
    if (edge.until) graph.events.set(edge.until.eventId, edge.until.t)
  }
  const known = (id: string) => walk.nodes.has(id)
  const downstream = walk.direction === 'downstream'

  for (const node of walk.nodes.values()) {
    const data = node.data
    if (!data) continue
    for (const e of data.erroneous) graph.erroneous.set(e.eventId, e.t)
    if (node.fetchedAs === 'content') {
      for (const f of data.transformations) {
        if (!known(f.other)) continue
        const [from, to] = downstream ? [node.id, f.other] : [f.other, node.id]
        addEdge({ from, to, relation: 'transformed_into', eventId: f.eventId, t: f.t })
      }
      for (const f of data.lots) {
        if (!known(f.other)) continue
        const [instance, lot] = downstream ? [f.other, node.id] : [node.id, f.other]
        addEdge({ from: instance, to: lot, relation: 'member_of_lot', eventId: f.eventId, t: f.t })
      }
    }
    for (const c of data.containments) {
      if (c.nodeIsParent || !known(c.other)) continue
      if (!node.content && !node.intervals.some((i) => intersect(i, windowOf(c)))) continue
      const edge: GraphEdge = { from: node.id, to: c.other, relation: c.relation, eventId: c.startEventId, t: c.start }
      if (c.end !== null && c.endEventId !== null) edge.until = { eventId: c.endEventId, t: c.end }
      addEdge(edge)
    }
    addShipments(graph, node, addEdge)
  }
  return graph
}

function addShipments(graph: Graph, node: WalkNode, addEdge: (edge: GraphEdge) => void): void {
  for (const fact of node.data!.own) {
    if (!node.content && !node.intervals.some((i) => contains(i, fact.t))) continue
    graph.events.set(fact.eventId, fact.t)
    for (const link of fact.links) {
      if (link.kind !== 'destination') continue
      const { eventId, t } = fact
      addEdge({ from: node.id, to: link.value, relation: 'shipped_to', eventId, t, type: link.type })
      const depth = graph.destinations.get(link.value)
      if (depth === undefined || node.depth + 1 < depth) graph.destinations.set(link.value, node.depth + 1)
    }
  }
}
