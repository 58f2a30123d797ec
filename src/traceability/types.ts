/** Which way a walk goes: towards origins (inputs, lots, contents) or towards what was made from / shipped with it. */
export type WalkDirection = 'upstream' | 'downstream'
export type LineageDirection = WalkDirection | 'both'

/** Edges always point the way goods flow: input to output, child to container, object to destination, serial to lot. */
export type Relation = 'transformed_into' | 'aggregated_into' | 'associated_with' | 'shipped_to' | 'member_of_lot'

/** A time interval in epoch milliseconds, both ends included; ±Infinity when open. */
export interface Interval {
  from: number
  to: number
}

export const ALWAYS: Interval = Object.freeze({ from: -Infinity, to: Infinity })

/** A source or destination of an event (event_link kinds 2 and 3), type as its CBV Web URI. */
export interface PartyLink {
  kind: 'source' | 'destination'
  type: string | null
  value: string
}

/** One event that names a node, as the walk sees it (shared by every node it names). */
export interface EventFact {
  pk: number
  eventId: string
  eventType: string
  action: string | null
  /** event time, epoch ms */
  t: number
  bizStep: string | null
  disposition: string | null
  bizLocation: string | null
  readPoint: string | null
  /** persistentDisposition as captured ({set, unset}), only when asked for */
  persistent: unknown
  links: PartyLink[]
}

/** The node is a child (or, for a content node, a parent) in an AggregationEvent / AssociationEvent. */
export interface Containment {
  relation: 'aggregated_into' | 'associated_with'
  /** the other side: the parent when the node is the child, the child when the node is the parent */
  other: string
  nodeIsParent: boolean
  startPk: number
  startEventId: string
  start: number
  /** the first DELETE of this child or of all children of the parent after the start; null while open */
  end: number | null
  endEventId: string | null
}

/** A transformation input/output or a lot membership leading from the node to `other`. */
export interface Flow {
  other: string
  pk: number
  eventId: string
  t: number
}

/** What one round trip learnt about one node. */
export interface FetchedNode {
  own: EventFact[]
  erroneous: Array<{ eventId: string; t: number }>
  containments: Containment[]
  transformations: Flow[]
  lots: Flow[]
}
