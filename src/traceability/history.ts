import { contains, intersect, intervalKey } from './intervals.js'
import type { EventFact, Interval } from './types.js'
import { windowOf, type WalkNode } from './walk.js'

/** An event that tells where a node was: one of its own, or one of a container's while it was inside. */
export interface SeenFact {
  fact: EventFact
  /** The container whose event this is; null for the node's own events. */
  via: string | null
}

/**
 * The events that place a node in time: its own, and those of every container it was in while it was inside
 * (a case's events while the item was in the case, the pallet's while the case was on the pallet...).
 */
export class Histories {
  private readonly memo = new Map<string, SeenFact[]>()

  constructor(private readonly nodes: ReadonlyMap<string, WalkNode>) {}

  /** Own events within the interval, then the containers', in time order, each event once. */
  of(id: string, interval: Interval): SeenFact[] {
    const facts = [...this.ownIn(id, interval, null), ...this.containersOf(id, interval, new Set([id]))]
    return inTimeOrder(facts)
  }

  private ownIn(id: string, interval: Interval, via: string | null): SeenFact[] {
    const own = this.nodes.get(id)?.data?.own ?? []
    return own.filter((fact) => contains(interval, fact.t)).map((fact) => ({ fact, via }))
  }

  private containersOf(id: string, interval: Interval, path: Set<string>): SeenFact[] {
    const data = this.nodes.get(id)?.data
    if (!data) return []
    const out: SeenFact[] = []
    for (const c of data.containments) {
      if (c.nodeIsParent || path.has(c.other)) continue
      const held = intersect(interval, windowOf(c))
      if (held) out.push(...this.carrier(c.other, held, path))
    }
    return out
  }

  private carrier(id: string, interval: Interval, path: Set<string>): SeenFact[] {
    const key = `${id} ${intervalKey(interval)}`
    const known = this.memo.get(key)
    if (known) return known
    path.add(id)
    const facts = [...this.ownIn(id, interval, id), ...this.containersOf(id, interval, path)]
    path.delete(id)
    this.memo.set(key, facts)
    return facts
  }
}

/** Sorted by event time (then storage order); an event seen twice (own and through a container) kept once, own first. */
function inTimeOrder(facts: SeenFact[]): SeenFact[] {
  const byPk = new Map<number, SeenFact>()
  for (const seen of facts) {
    const known = byPk.get(seen.fact.pk)
    if (!known || (known.via !== null && seen.via === null)) byPk.set(seen.fact.pk, seen)
  }
  return [...byPk.values()].sort((a, b) => a.fact.t - b.fact.t || a.fact.pk - b.fact.pk)
}

/** Where and how a node was last seen. */
export interface Whereabouts {
  firstSeen: SeenFact | undefined
  lastSeen: SeenFact | undefined
  firstBizLocation: SeenFact | undefined
  lastBizLocation: SeenFact | undefined
  lastDisposition: SeenFact | undefined
}

export function whereabouts(history: SeenFact[]): Whereabouts {
  const lastWith = (has: (f: EventFact) => boolean) => {
    for (let i = history.length - 1; i >= 0; i--) if (has(history[i]!.fact)) return history[i]
    return undefined
  }
  return {
    firstSeen: history[0],
    lastSeen: history[history.length - 1],
    firstBizLocation: history.find((s) => s.fact.bizLocation !== null),
    lastBizLocation: lastWith((f) => f.bizLocation !== null),
    lastDisposition: lastWith((f) => f.disposition !== null),
  }
}
