import { sql, type RawBuilder } from 'kysely'
import { IdentifierRole as Role } from '../db/tables/event-identifier.js'
import { LinkKind } from '../db/tables/event-link.js'
import type { EventFact, FetchedNode, PartyLink, WalkDirection } from './types.js'
import type { EventVisibility } from './visibility.js'
import { declaredErroneous } from '../security/declarations.js'

/**
 * content: a node the question is about (the root, an input, an output, a lot, the contents of a root
 * container): every relation is followed. carrier: a container something was in: only its own events, its
 * sources and destinations and its own containers are read, never its other contents nor what it was made of.
 */
export type FetchMode = 'content' | 'carrier'

export interface FrontierEntry {
  node: string
  mode: FetchMode
  /** Hops from the root. */
  depth: number
  /** A content node discovered by an earlier statement's closure: its own closure is known already. */
  explored?: boolean
}

/**
 * Keys that can have lot members (an LGTIN-style class) and keys that can belong to a lot (a GTIN/ITIP
 * serial), as SQL regular expressions.
 */
const LOT_KEY = '^https://id\\.gs1\\.org/(01|8006)/[^/]+/10/[^/]+$'
const SERIAL_KEY = '^https://id\\.gs1\\.org/(01|8006)/[^/]+/21/[^/]+$'

export interface FrontierOptions {
  direction: WalkDirection
  /** Content nodes further than this from the root are not discovered. */
  maxDepth: number
  /** Most content nodes one statement may discover beyond its entries. */
  discoveryLimit: number
  /**
   * Discovered nodes get their details in the same statement when there are at most this many; more are
   * returned as discovered only, for the walk to fetch in parallel.
   */
  detailLimit: number
  /** Only events at or before this time count. */
  at: Date | null
  visible: EventVisibility
  /** Read persistentDisposition from the stored events (the state question needs it; lineage does not). */
  withPersistent: boolean
}

type Json = string | number | boolean | null
/** [parent, pk, eventID, eventType, time, names children (partial)] */
type DeleteTuple = [string, number, string, string, number, boolean]
/** [delete pk, child it names] (DELETEs that name children) */
type RemovedTuple = [number, string]
/** [entry, pk, eventID, time, other] */
type FlowTuple = [number, number, string, number, string]
/** [entry, pk of the event stating the membership, other side] */
type LotTuple = [number, number, string]
/** [pk, eventID, time] of the lot events the caller may use */
type LotEventTuple = [number, string, number]

/**
 * One frontier statement's answer. Packed parts (see unpack), one row per:
 * discovered: content node reached beyond the entries [node, depth], in entry order after the entries;
 * events: event naming a node [pk, eventID, eventType, action, time, bizStep, disposition, bizLocation, readPoint];
 * own: [entry, pk] of an event naming the node (not erroneous), ordered by entry and pk;
 * containments: [entry, start pk, role of the node (2 parent, else child), other side];
 * links: [event pk, link kind, type, value].
 * The other parts are JSON arrays of tuples.
 */
export interface FrontierResult {
  discovered: string | null
  /** whether the details cover the discovered nodes too */
  detailed: boolean
  events: string | null
  /** [pk, persistentDisposition] of the events that have one (when asked for) */
  persistent: Array<[number, unknown]> | null
  own: string | null
  /** [entry, eventID, time] of an erroneous event naming the node */
  erroneous: Array<[number, string, number]> | null
  containments: string | null
  deletes: DeleteTuple[] | null
  removed: RemovedTuple[] | null
  transformations: FlowTuple[] | null
  lots: LotTuple[] | null
  lot_events: LotEventTuple[] | null
  links: string | null
  [part: string]: Json | unknown[] | null
}

/**
 * Runs one statement of the walk. The walk prepares its statements once per connection and lets
 * PostgreSQL keep a generic plan: planning this statement costs more than running it for a small frontier.
 */
export type StatementRunner = (query: RawBuilder<FrontierResult>) => Promise<FrontierResult>

const CHILD_ROLES = sql.raw(`${Role.child}, ${Role.childQuantity}`)
const INPUT_ROLES = sql.raw(`${Role.input}, ${Role.inputQuantity}`)
const OUTPUT_ROLES = sql.raw(`${Role.output}, ${Role.outputQuantity}`)
const CONTENT = 0
const CARRIER = 1

/**
 * An event row that is no error declaration and that no declaration taking effect names (src/security/declarations.ts):
 * the events the walk uses.
 */
function notDeclared(alias: string): RawBuilder<boolean> {
  return sql<boolean>`NOT ${declaredErroneous(alias)} AND ${sql.ref(`${alias}.error_declaration_time`)} IS NULL`
}

function notAfter(alias: string, at: Date | null): RawBuilder<boolean> {
  if (at === null) return sql<boolean>`true`
  return sql<boolean>`${sql.ref(`${alias}.event_time`)} <= ${at.toISOString()}::timestamptz`
}

/**
 * The big parts of a frontier's answer travel as text: fields joined by U+001F, rows by U+001E. Building JSON
 * costs PostgreSQL about twice as much for tens of thousands of rows. Every packed value is a number or a URI
 * (identifiers, eventIDs, CBV values: schema-validated URIs, which cannot hold control characters); an absent
 * value is an empty string.
 */
const FIELD = '\u001f'
const ROW_END = '\u001e'

function packed(columns: RawBuilder<unknown>, order: RawBuilder<unknown> = sql``): RawBuilder<string> {
  return sql<string>`string_agg(concat_ws(chr(31), ${columns}), chr(30) ${order})`
}

/** The rows of a packed part, each split into its fields. */
function unpack(text: string | null, fields: number): string[][] {
  if (text === null || text === '') return []
  const rows = text.split(ROW_END).map((row) => row.split(FIELD))
  if (rows.some((row) => row.length !== fields)) throw new Error('a traceability row holds a control character')
  return rows
}

const orNull = (value: string) => (value === '' ? null : value)

const epochMs = (column: string) => sql<number>`(extract(epoch FROM ${sql.ref(column)}) * 1000)::bigint`

/** What one frontier statement found: about each entry, and about the content nodes it discovered beyond them. */
export interface FrontierAnswer {
  entries: FetchedNode[]
  /** data is undefined when there were more discovered nodes than the statement's detailLimit */
  discovered: Array<{ node: string; depth: number; data: FetchedNode | undefined }>
}

/**
 * One round trip for a whole frontier. First the content entries' closure over transformations (in the same
 * event or in any event sharing a transformationID) and lot memberships, in the walk's direction, up to
 * maxDepth (a recursive CTE): a chain of 20 processing steps costs one round trip, not 20. Downstream, the
 * members of a lot (thousands of serials) end the closure: their own transformations, rare, come from their
 * events in the same statement and are followed in the next round. Then, for the
 * entries and every node discovered: every event naming each node (with the node's role, and whether the
 * event was declared erroneous), the node's aggregations and associations (each ADD or OBSERVE naming it as
 * child, or as parent for a content node) with the DELETEs of those parents, and, for content nodes, the
 * transformation partners (in the same event or in any event sharing its transformationID) and lot
 * memberships in the walk's direction, plus the sources and destinations of the events read. The visibility
 * predicate is applied to every event read.
 */
export async function fetchFrontier(
  run: StatementRunner,
  entries: FrontierEntry[],
  options: FrontierOptions,
): Promise<FrontierAnswer> {
  if (entries.length === 0) return { entries: [], discovered: [] }
  const result = await run(frontierQuery(entries, options))
  const discovered = unpack(result.discovered, 2).map(([node, depth]) => ({ node: node!, depth: Number(depth) }))
  const detailed = result.detailed ? discovered.map(({ node, depth }): FrontierEntry => ({ node, depth, mode: 'content' })) : []
  const data = groupByEntry([...entries, ...detailed], result)
  return {
    entries: data.slice(0, entries.length),
    discovered: discovered.map((d, i) => ({ ...d, data: result.detailed ? data[entries.length + i]! : undefined })),
  }
}

/** Events the walk may use: visible to the caller, not erroneous, not after `at`. */
function usable(alias: string, options: FrontierOptions): RawBuilder<boolean> {
  return sql<boolean>`${notAfter(alias, options.at)} AND ${notDeclared(alias)} AND ${options.visible(alias)}`
}

/** The statement fetchFrontier runs (exported for EXPLAIN). */
export function frontierQuery(entries: FrontierEntry[], options: FrontierOptions): RawBuilder<FrontierResult> {
  const { visible, at } = options
  const downstream = options.direction === 'downstream'
  const fromRoles = downstream ? INPUT_ROLES : OUTPUT_ROLES
  const toRoles = downstream ? OUTPUT_ROLES : INPUT_ROLES
  const lotSelf = sql.ref(downstream ? 'm.lot' : 'm.instance')
  const lotOther = sql.ref(downstream ? 'm.instance' : 'm.lot')
  const persistent = options.withPersistent ? sql`e.body -> 'persistentDisposition'` : sql`NULL::jsonb`
  const parent = sql.lit(Role.parent)
  const content = sql.lit(CONTENT)
  const lotPattern = sql.lit(downstream ? LOT_KEY : SERIAL_KEY)
  const lotRegExp = new RegExp(downstream ? LOT_KEY : SERIAL_KEY)

  return sql<FrontierResult>`
    WITH RECURSIVE input AS (
      SELECT i.node COLLATE "C" AS node, i.mode, i.depth, i.explored, i.lots, i.entry::int AS entry
      FROM unnest(${entries.map((e) => e.node)}::text[],
        ${entries.map((e) => (e.mode === 'content' ? CONTENT : CARRIER))}::int[], ${entries.map((e) => e.depth)}::int[],
        ${entries.map((e) => e.explored === true)}::boolean[],
        ${entries.map((e) => e.mode === 'content' && lotRegExp.test(e.node))}::boolean[])
        WITH ORDINALITY AS i(node, mode, depth, explored, lots, entry)
    ),
    closure(node, depth, expand) AS (
      SELECT node, depth, true FROM input WHERE mode = ${content} AND NOT explored
      UNION
      SELECT n.other, c.depth + 1, n.expand
      FROM closure c
      CROSS JOIN LATERAL (
        SELECT p.identifier AS other, true AS expand
        FROM event_identifier ei
        JOIN event e ON e.id = ei.event_pk
        CROSS JOIN LATERAL (
          SELECT e.id AS pk
          UNION
          SELECT s.id FROM event s WHERE s.transformation_id = e.transformation_id AND ${usable('s', options)}
        ) x
        JOIN event_identifier p ON p.event_pk = x.pk AND p.role IN (${toRoles})
        WHERE ei.identifier = c.node AND ei.role IN (${fromRoles}) AND e.event_type = 'TransformationEvent'
          AND ${usable('e', options)}
        UNION ALL
        SELECT ${lotOther}, ${sql.lit(!downstream)}
        FROM lot_member m
        JOIN event e ON e.id = m.event_pk
        WHERE ${lotSelf} = c.node AND c.node ~ ${lotPattern} AND ${usable('e', options)}
      ) n
      WHERE c.expand AND c.depth < ${options.maxDepth}::int
    ),
    discovered AS MATERIALIZED (
      SELECT node, min(depth) AS depth
      FROM (SELECT node, depth FROM closure LIMIT ${options.discoveryLimit + entries.length}::int) c
      WHERE NOT EXISTS (SELECT 1 FROM input i WHERE i.node = c.node)
      GROUP BY node
    ),
    detailed AS (
      SELECT count(*) <= ${options.detailLimit}::int AS detailed FROM discovered
    ),
    f AS (
      SELECT node, mode, lots, entry FROM input
      UNION ALL
      SELECT node, ${content}, node ~ ${lotPattern},
        ${entries.length}::int + (row_number() OVER (ORDER BY depth, node))::int
      FROM discovered
      WHERE (SELECT detailed FROM detailed)
    ),
    own AS MATERIALIZED (
      SELECT f.entry, f.node, f.mode, ei.role, e.id AS pk, e.event_id, e.event_type, e.action, e.event_time, e.biz_step,
        e.disposition, e.biz_location, e.read_point, e.transformation_id, ${persistent} AS persistent,
        ${declaredErroneous('e')} AS erroneous
      FROM f
      JOIN event_identifier ei ON ei.identifier = f.node
      JOIN event e ON e.id = ei.event_pk
      WHERE e.error_declaration_time IS NULL AND ${notAfter('e', at)} AND ${visible('e')}
    ),
    containment AS MATERIALIZED (
      SELECT o.entry, o.pk, o.event_type, o.role, p.identifier AS other,
        CASE WHEN o.role = ${parent} THEN o.node ELSE p.identifier END AS parent,
        CASE WHEN o.role = ${parent} THEN p.identifier ELSE o.node END AS child
      FROM own o
      JOIN event_identifier p ON p.event_pk = o.pk
        AND p.role IN (${parent}, ${CHILD_ROLES})
        AND ((o.role IN (${CHILD_ROLES}) AND p.role = ${parent}) OR (o.role = ${parent} AND p.role IN (${CHILD_ROLES})))
      WHERE NOT o.erroneous AND o.event_type IN ('AggregationEvent', 'AssociationEvent')
        AND o.action IN ('ADD', 'OBSERVE')
        AND (o.role IN (${CHILD_ROLES}) OR (o.role = ${parent} AND o.mode = ${content}))
    ),
    deletes AS MATERIALIZED (
      SELECT pr.parent, d.id AS pk, d.event_id, d.event_type, d.event_time,
        EXISTS (SELECT 1 FROM event_identifier dc WHERE dc.event_pk = d.id AND dc.role IN (${CHILD_ROLES})) AS partial
      FROM (SELECT DISTINCT parent FROM containment) pr
      JOIN event_identifier dp ON dp.identifier = pr.parent AND dp.role = ${parent}
      JOIN event d ON d.id = dp.event_pk
      WHERE d.action = 'DELETE' AND d.event_type IN ('AggregationEvent', 'AssociationEvent')
        AND ${usable('d', options)}
    ),
    removed AS (
      SELECT d.pk, dc.identifier AS child
      FROM deletes d
      JOIN event_identifier dc ON dc.event_pk = d.pk AND dc.role IN (${CHILD_ROLES})
      WHERE d.partial
    ),
    same_event AS (
      SELECT o.entry, o.pk, o.event_id, o.event_time, p.identifier AS other
      FROM own o
      JOIN event_identifier p ON p.event_pk = o.pk AND p.role IN (${toRoles})
      WHERE NOT o.erroneous AND o.mode = ${content} AND o.event_type = 'TransformationEvent'
        AND o.transformation_id IS NULL AND o.role IN (${fromRoles})
    ),
    shared_id AS (
      SELECT t.entry, s.id AS pk, s.event_id, s.event_time, p.identifier AS other
      FROM (
        SELECT DISTINCT entry, transformation_id FROM own
        WHERE NOT erroneous AND mode = ${content} AND event_type = 'TransformationEvent'
          AND transformation_id IS NOT NULL AND role IN (${fromRoles})
      ) t
      JOIN event s ON s.transformation_id = t.transformation_id
      JOIN event_identifier p ON p.event_pk = s.id AND p.role IN (${toRoles})
      WHERE ${usable('s', options)}
    ),
    lots AS MATERIALIZED (
      SELECT f.entry, m.pk, m.other
      FROM f
      CROSS JOIN LATERAL (
        -- OFFSET 0 keeps this an index lookup per node: the generic plan would otherwise hash the whole table.
        SELECT m.event_pk AS pk, ${lotOther} AS other FROM lot_member m WHERE ${lotSelf} = f.node OFFSET 0
      ) m
      WHERE f.lots
    ),
    lot_events AS (
      SELECT e.id AS pk, e.event_id, e.event_time
      FROM (SELECT DISTINCT pk FROM lots) l
      JOIN event e ON e.id = l.pk
      WHERE ${usable('e', options)}
    ),
    events AS (
      SELECT DISTINCT ON (pk) pk, event_id, event_type, action, event_time, biz_step, disposition, biz_location,
        read_point, persistent
      FROM own WHERE NOT erroneous
    )
    SELECT
      (SELECT ${packed(sql`node, depth`, sql`ORDER BY depth, node`)} FROM discovered) AS discovered,
      (SELECT detailed FROM detailed) AS detailed,
      (SELECT ${packed(sql`pk, event_id, event_type, coalesce(action, ''), ${epochMs('event_time')},
        coalesce(biz_step, ''), coalesce(disposition, ''), coalesce(biz_location, ''), coalesce(read_point, '')`)}
        FROM events) AS events,
      (SELECT json_agg(json_build_array(pk, persistent)) FROM events WHERE persistent IS NOT NULL) AS persistent,
      (SELECT ${packed(sql`entry, pk`, sql`ORDER BY entry, pk`)} FROM own WHERE NOT erroneous) AS own,
      (SELECT json_agg(json_build_array(entry, event_id, ${epochMs('event_time')})) FROM own WHERE erroneous) AS erroneous,
      (SELECT ${packed(sql`entry, pk, role, other`)} FROM containment) AS containments,
      (SELECT json_agg(json_build_array(parent, pk, event_id, event_type, ${epochMs('event_time')}, partial))
        FROM deletes) AS deletes,
      (SELECT json_agg(json_build_array(pk, child)) FROM removed) AS removed,
      (SELECT json_agg(json_build_array(entry, pk, event_id, ${epochMs('event_time')}, other))
        FROM (SELECT * FROM same_event UNION SELECT * FROM shared_id) tx) AS transformations,
      (SELECT json_agg(json_build_array(entry, pk, other)) FROM lots) AS lots,
      (SELECT json_agg(json_build_array(pk, event_id, ${epochMs('event_time')})) FROM lot_events) AS lot_events,
      (SELECT ${packed(sql`k.event_pk, k.kind, coalesce(k.type, ''), k.value`)}
        FROM events JOIN event_link k ON k.event_pk = events.pk
        AND k.kind IN (${sql.lit(LinkKind.source)}, ${sql.lit(LinkKind.destination)})) AS links`
}

interface DeleteRow {
  pk: number
  eventId: string
  eventType: string
  t: number
  partial: boolean
}

const NO_LINKS: PartyLink[] = []
const NONE: never[] = []
const NO_DELETES: DeleteRow[] = []

/** Splits one frontier answer into what each entry learnt, and works out when each containment ended. */
function groupByEntry(entries: FrontierEntry[], result: FrontierResult): FetchedNode[] {
  // Indexed loops rather than destructuring: tens of thousands of tuples per round.
  // Most nodes have few kinds of rows: lists start as one shared empty array and are made on the first push.
  const nodes: FetchedNode[] = entries.map(() => ({
    own: NONE,
    erroneous: NONE,
    containments: NONE,
    transformations: NONE,
    lots: NONE,
  }))
  const push = <K extends keyof FetchedNode>(entry: number, key: K, value: FetchedNode[K][number]) => {
    const node = nodes[entry - 1]!
    const list = node[key] as Array<FetchedNode[K][number]>
    if (list === NONE) (node[key] as Array<FetchedNode[K][number]>) = [value]
    else list.push(value)
  }
  const links = new Map<number, PartyLink[]>()
  for (const l of unpack(result.links, 4)) {
    const pk = Number(l[0])
    const link: PartyLink = { kind: Number(l[1]) === LinkKind.source ? 'source' : 'destination', type: orNull(l[2]!), value: l[3]! }
    const list = links.get(pk)
    if (list) list.push(link)
    else links.set(pk, [link])
  }
  const persistent = new Map(result.persistent ?? [])
  const events = new Map<number, EventFact>()
  for (const e of unpack(result.events, 9)) {
    const pk = Number(e[0])
    events.set(pk, {
      pk,
      eventId: e[1]!,
      eventType: e[2]!,
      action: orNull(e[3]!),
      t: Number(e[4]),
      bizStep: orNull(e[5]!),
      disposition: orNull(e[6]!),
      bizLocation: orNull(e[7]!),
      readPoint: orNull(e[8]!),
      persistent: persistent.get(pk) ?? null,
      links: links.get(pk) ?? NO_LINKS,
    })
  }
  let previousEntry = 0
  let previousPk = 0
  for (const o of unpack(result.own, 2)) {
    // A node named twice by one event (in two roles) has the event once; own rows come ordered by entry and event.
    const entry = Number(o[0])
    const pk = Number(o[1])
    if (entry === previousEntry && pk === previousPk) continue
    previousEntry = entry
    previousPk = pk
    push(entry, 'own', events.get(pk)!)
  }
  for (const e of result.erroneous ?? []) push(e[0], 'erroneous', { eventId: e[1], t: e[2] })
  const deletes = new Map<string, DeleteRow[]>()
  for (const d of result.deletes ?? []) {
    const row = { pk: d[1], eventId: d[2], eventType: d[3], t: d[4], partial: d[5] }
    const list = deletes.get(d[0])
    if (list) list.push(row)
    else deletes.set(d[0], [row])
  }
  for (const list of deletes.values()) if (list.length > 1) list.sort((a, b) => a.t - b.t || a.pk - b.pk)
  const removed = new Set((result.removed ?? []).map((r) => `${r[0]} ${r[1]}`))
  for (const c of unpack(result.containments, 4)) {
    const entry = Number(c[0])
    const pk = Number(c[1])
    const other = c[3]!
    const start = events.get(pk)!
    const eventType = start.eventType
    const nodeIsParent = Number(c[2]) === Role.parent
    const node = entries[entry - 1]!.node
    const parent = nodeIsParent ? node : other
    const child = nodeIsParent ? other : node
    // The first DELETE of this parent after the start that removes this child: one naming it, or one naming none (all).
    const end = (deletes.get(parent) ?? NO_DELETES).find(
      (d) =>
        d.eventType === eventType &&
        (d.t > start.t || (d.t === start.t && d.pk > pk)) &&
        (!d.partial || removed.has(`${d.pk} ${child}`)),
    )
    push(entry, 'containments', {
      relation: eventType === 'AssociationEvent' ? 'associated_with' : 'aggregated_into',
      other,
      nodeIsParent,
      startPk: pk,
      startEventId: start.eventId,
      start: start.t,
      end: end ? end.t : null,
      endEventId: end ? end.eventId : null,
    })
  }
  for (const f of result.transformations ?? []) {
    push(f[0], 'transformations', { other: f[4], pk: f[1], eventId: f[2], t: f[3] })
  }
  // Lot memberships are stated by events; one the caller may not use (hidden, erroneous, later) states nothing.
  const lotEvents = new Map((result.lot_events ?? []).map((e) => [e[0], e]))
  for (const l of result.lots ?? []) {
    const event = lotEvents.get(l[1])
    if (event) push(l[0], 'lots', { other: l[2], pk: l[1], eventId: event[1], t: event[2] })
  }
  return nodes
}
