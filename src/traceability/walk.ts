import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { Db } from '../db/database.js'
import { fetchFrontier, type FetchMode, type FrontierEntry, type FrontierRow, type StatementRunner } from './frontier-repository.js'
import { addInterval, intersect } from './intervals.js'
import { ALWAYS, type Containment, type FetchedNode, type Interval, type WalkDirection } from './types.js'
import type { EventVisibility } from './visibility.js'

export interface WalkOptions {
  direction: WalkDirection
  /** Hops from the root (a container, a lot, an input each count as one). */
  maxDepth: number
  /** Most identifiers the walk may reach (destinations of shipments not counted). */
  nodeLimit: number
  at: Date | null
  visible: EventVisibility
  withPersistent: boolean
  /** Only the root's own events and the containers it was in: the state question. */
  containersOnly?: boolean
}

export interface WalkNode {
  id: string
  depth: number
  /** Reached as something the question is about; otherwise only as a container another node was in. */
  content: boolean
  /** For a container: when it held something the question is about (merged); ALWAYS for content nodes. */
  intervals: Interval[]
  fetchedAs?: FetchMode
  data?: FetchedNode
}

export type TruncationReason = 'maxDepth' | 'nodeLimit'

export interface Walk {
  root: string
  direction: WalkDirection
  nodes: Map<string, WalkNode>
  truncatedBy: Set<TruncationReason>
  roundTrips: number
}

/** When a containment held: from its ADD/OBSERVE to its DELETE (both included), open while not deleted. */
export function windowOf(c: Containment): Interval {
  return { from: c.start, to: c.end ?? Infinity }
}

/**
 * A bounded breadth-first walk from one identifier, one SQL statement per frontier. Content nodes follow
 * transformations, lot memberships and their own containments; a container reached from a child is followed
 * only while the child was inside it (and its own containers only while it was inside them, to any depth),
 * so a pallet's later trips and its other contents never leak into the answer. Cycles end because a node is
 * fetched once per mode and a container again only for time it was not yet known to matter.
 */
/** What a walk needs: Kysely to compile its statements, the pool to run them as prepared statements. */
export interface TraceDb {
  db: Db
  pool: pg.Pool
}

/**
 * One read-only snapshot for every round (a capture committing meanwhile cannot tear the answer), on one
 * connection whose prepared statements keep their generic plans; a frontier of thousands of nodes sorts and
 * hashes in memory rather than in temporary files.
 */
export async function walkFrom(deps: TraceDb, root: string, options: WalkOptions): Promise<Walk> {
  const client = await deps.pool.connect()
  try {
    await client.query(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL work_mem = '64MB'; SET LOCAL plan_cache_mode = force_generic_plan",
    )
    const run: StatementRunner = async (query) => {
      const compiled = query.compile(deps.db)
      const name = `nguon_trace_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 24)}`
      const result = await client.query<FrontierRow>({ name, text: compiled.sql, values: [...compiled.parameters] })
      return result.rows
    }
    const walk = await walkIn(run, root, options)
    await client.query('COMMIT')
    return walk
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

async function walkIn(run: StatementRunner, root: string, options: WalkOptions): Promise<Walk> {
  const walk: Walk = { root, direction: options.direction, nodes: new Map(), truncatedBy: new Set(), roundTrips: 0 }
  const pending = new Set<string>()

  const admit = (depth: number): boolean => {
    if (depth > options.maxDepth) {
      walk.truncatedBy.add('maxDepth')
      return false
    }
    if (walk.nodes.size >= options.nodeLimit) {
      walk.truncatedBy.add('nodeLimit')
      return false
    }
    return true
  }

  const reachContent = (id: string, depth: number) => {
    const node = walk.nodes.get(id)
    if (!node) {
      if (!admit(depth)) return
      walk.nodes.set(id, { id, depth, content: true, intervals: [ALWAYS] })
      pending.add(id)
      return
    }
    node.depth = Math.min(node.depth, depth)
    if (node.content) return
    node.content = true
    node.intervals = [ALWAYS]
    pending.add(id)
  }

  // Work list rather than recursion: a container learning of new time passes it on to its own containers.
  const carrierWork: Array<{ id: string; interval: Interval; depth: number }> = []
  const reachCarrier = (id: string, interval: Interval, depth: number) => carrierWork.push({ id, interval, depth })
  const drainCarriers = () => {
    for (let work = carrierWork.pop(); work; work = carrierWork.pop()) {
      const { id, interval, depth } = work
      const node = walk.nodes.get(id)
      if (!node) {
        if (!admit(depth)) continue
        walk.nodes.set(id, { id, depth, content: false, intervals: [interval] })
        pending.add(id)
        continue
      }
      node.depth = Math.min(node.depth, depth)
      if (node.content || !addInterval(node.intervals, interval)) continue
      if (node.fetchedAs !== undefined && !pending.has(id)) followContainers(node, [interval])
    }
  }

  const followContainers = (node: WalkNode, intervals: Interval[]) => {
    for (const c of node.data!.containments) {
      if (c.nodeIsParent) continue
      for (const interval of intervals) {
        const held = intersect(interval, windowOf(c))
        if (held) reachCarrier(c.other, held, node.depth + 1)
      }
    }
  }

  const expand = (node: WalkNode) => {
    const data = node.data!
    const next = node.depth + 1
    if (node.fetchedAs === 'content') {
      for (const flow of data.transformations) reachContent(flow.other, next)
      for (const flow of data.lots) reachContent(flow.other, next)
      for (const c of data.containments) if (c.nodeIsParent) reachContent(c.other, next)
    }
    followContainers(node, node.intervals)
    drainCarriers()
  }

  walk.nodes.set(root, {
    id: root,
    depth: 0,
    content: !options.containersOnly,
    intervals: [ALWAYS],
  })
  pending.add(root)
  while (pending.size > 0) {
    const batch = [...pending].map((id) => walk.nodes.get(id)!)
    pending.clear()
    const entries: FrontierEntry[] = batch.map((node) => ({ node: node.id, mode: node.content ? 'content' : 'carrier' }))
    const fetched = await fetchFrontier(run, entries, options)
    walk.roundTrips += 1
    batch.forEach((node, i) => {
      node.fetchedAs = entries[i]!.mode
      node.data = fetched[i]!
    })
    for (const node of batch) expand(node)
  }
  return walk
}
