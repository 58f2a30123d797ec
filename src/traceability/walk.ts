import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { Db } from '../db/database.js'
import {
  fetchFrontier,
  type FetchMode,
  type FrontierAnswer,
  type FrontierEntry,
  type FrontierOptions,
  type FrontierResult,
  type StatementRunner,
} from './frontier-repository.js'
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
  /** Discovered by a closure already: its transformations and lots are known to the walk. */
  explored?: boolean
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

/** What a walk needs: Kysely to compile its statements, the pool to run them as prepared statements. */
export interface TraceDb {
  db: Db
  pool: pg.Pool
}

/** A frontier at least this large is split in two halves fetched at once on two connections. */
const PARALLEL_FRONTIER = 2000

const SESSION_SETTINGS = "SET LOCAL work_mem = '64MB'; SET LOCAL plan_cache_mode = force_generic_plan"

/** Runs the walk's statements as prepared statements on one connection (inside its transaction). */
function runnerOn(client: pg.PoolClient, db: Db): StatementRunner {
  return async (query) => {
    const compiled = query.compile(db)
    const name = `nguon_trace_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 24)}`
    const result = await client.query<FrontierResult>({ name, text: compiled.sql, values: [...compiled.parameters] })
    return result.rows[0]!
  }
}

/** The walk's connections: one always, a second one sharing its snapshot when a big frontier is worth splitting. */
class Session {
  private second: pg.PoolClient | undefined
  private secondRunner: StatementRunner | undefined
  readonly run: StatementRunner

  constructor(
    private readonly deps: TraceDb,
    private readonly first: pg.PoolClient,
  ) {
    this.run = runnerOn(first, deps.db)
  }

  /**
   * A second runner reading the same snapshot, or undefined when the pool has no connection to spare (taking
   * one then could leave concurrent walks each holding one and waiting for another).
   */
  async parallel(): Promise<StatementRunner | undefined> {
    if (this.secondRunner) return this.secondRunner
    const pool = this.deps.pool
    if (pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10)) return undefined
    const { rows } = await this.first.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot')
    const client = await pool.connect()
    try {
      await client.query(
        `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${rows[0]!.snapshot}'; ${SESSION_SETTINGS}`,
      )
    } catch (error) {
      client.release()
      throw error
    }
    this.second = client
    this.secondRunner = runnerOn(client, this.deps.db)
    return this.secondRunner
  }

  async end(commit: boolean): Promise<void> {
    const clients = [this.first, ...(this.second ? [this.second] : [])]
    await Promise.all(clients.map((c) => c.query(commit ? 'COMMIT' : 'ROLLBACK').catch(() => undefined)))
    for (const client of clients) client.release()
  }
}

/**
 * A bounded breadth-first walk from one identifier, one SQL statement per frontier. Content nodes follow
 * transformations, lot memberships and their own containments; a container reached from a child is followed
 * only while the child was inside it (and its own containers only while it was inside them, to any depth),
 * so a pallet's later trips and its other contents never leak into the answer. Cycles end because a node is
 * fetched once per mode, and a container learning of more time it mattered passes that on from what was fetched.
 *
 * All rounds read one snapshot (a capture committing meanwhile cannot tear the answer), on connections whose
 * prepared statements keep their generic plans; a frontier of thousands of nodes sorts and hashes in memory
 * rather than in temporary files, and is split over two connections (two cores).
 */
export async function walkFrom(deps: TraceDb, root: string, options: WalkOptions): Promise<Walk> {
  const client = await deps.pool.connect()
  let session: Session
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${SESSION_SETTINGS}`)
    session = new Session(deps, client)
  } catch (error) {
    client.release()
    throw error
  }
  try {
    const walk = await walkIn(session, root, options)
    await session.end(true)
    return walk
  } catch (error) {
    await session.end(false)
    throw error
  }
}

/** Fetches a frontier, in two halves at once when it is big and a second connection is to be had. */
async function fetchBatch(session: Session, entries: FrontierEntry[], options: FrontierOptions): Promise<FrontierAnswer> {
  const parallel = entries.length >= PARALLEL_FRONTIER ? await session.parallel() : undefined
  if (!parallel) return fetchFrontier(session.run, entries, options)
  const half = Math.ceil(entries.length / 2)
  const [a, b] = await Promise.all([
    fetchFrontier(session.run, entries.slice(0, half), options),
    fetchFrontier(parallel, entries.slice(half), options),
  ])
  return { entries: [...a.entries, ...b.entries], discovered: [...a.discovered, ...b.discovered] }
}

async function walkIn(session: Session, root: string, options: WalkOptions): Promise<Walk> {
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
    const entries = batch.map(
      (node): FrontierEntry => ({
        node: node.id,
        mode: node.content ? 'content' : 'carrier',
        depth: node.depth,
        explored: node.explored,
      }),
    )
    const discoveryLimit = Math.max(0, options.nodeLimit - walk.nodes.size)
    const fetched = await fetchBatch(session, entries, { ...options, discoveryLimit, detailLimit: PARALLEL_FRONTIER })
    walk.roundTrips += 1
    batch.forEach((node, i) => {
      node.fetchedAs = entries[i]!.mode
      node.data = fetched.entries[i]!
    })
    // Content nodes the statement found beyond its entries (transformations, lots): with their data, or (many
    // of them) for the next round, which need not look for their transformations and lots again.
    for (const { node: id, depth, data } of fetched.discovered) {
      const known = walk.nodes.get(id)
      if (known?.fetchedAs === 'content' || (known?.content && !data)) continue
      if (!known && walk.nodes.size >= options.nodeLimit) {
        walk.truncatedBy.add('nodeLimit')
        continue
      }
      const node: WalkNode = known ?? { id, depth, content: true, intervals: [ALWAYS] }
      Object.assign(node, { depth: Math.min(node.depth, depth), content: true, intervals: [ALWAYS], explored: true })
      walk.nodes.set(id, node)
      if (data) {
        Object.assign(node, { fetchedAs: 'content', data })
        pending.delete(id)
        batch.push(node)
      } else {
        pending.add(id)
      }
    }
    for (const node of batch) expand(node)
  }
  return walk
}
