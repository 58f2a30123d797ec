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
  /** One "own" SeenFact per event, shared by every node the event names. */
  private readonly ownSeen = new Map<EventFact, SeenFact>()

  constructor(private readonly nodes: ReadonlyMap<string, WalkNode>) {}

  /** Own events within the interval, then the containers', in time order, each event once. */
  of(id: string, interval: Interval): SeenFact[] {
    const own = this.ownIn(id, interval, null)
    const carried = this.containersOf(id, interval, new Set([id]))
    return inTimeOrder(carried.length === 0 ? own : own.concat(carried))
  }

  private ownIn(id: string, interval: Interval, via: string | null): SeenFact[] {
    const seen: SeenFact[] = []
    for (const fact of this.nodes.get(id)?.data?.own ?? []) {
      if (!contains(interval, fact.t)) continue
      if (via !== null) {
        seen.push({ fact, via })
        continue
      }
      let own = this.ownSeen.get(fact)
      if (!own) this.ownSeen.set(fact, (own = { fact, via: null }))
      seen.push(own)
    }
    return seen
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

/** In time order (then storage order); an event seen twice (own, and through a container) kept once, as own. */
function inTimeOrder(facts: SeenFact[]): SeenFact[] {
  facts.sort((a, b) => a.fact.t - b.fact.t || a.fact.pk - b.fact.pk || (a.via === null ? -1 : b.via === null ? 1 : 0))
  let kept = 0
  for (let i = 0; i < facts.length; i++) {
    if (kept > 0 && facts[kept - 1]!.fact.pk === facts[i]!.fact.pk) continue
    facts[kept++] = facts[i]!
  }
  facts.length = kept
  return facts
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
