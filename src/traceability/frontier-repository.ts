import { sql, type RawBuilder } from 'kysely'
import { IdentifierRole as Role } from '../db/tables/event-identifier.js'
import { LinkKind } from '../db/tables/event-link.js'
import type { EventVisibility } from './visibility.js'
import type { Containment, EventFact, FetchedNode, PartyLink, WalkDirection } from './types.js'

/**
 * Runs one statement of the walk. The walk prepares its statements once per connection and lets
 * PostgreSQL keep a generic plan: planning this statement costs more than running it for a small frontier.
 */
export type StatementRunner = (query: RawBuilder<FrontierRow>) => Promise<FrontierRow[]>

/**
 * content: a node the question is about (the root, an input, an output, a lot, the contents of a root
 * container): every relation is followed. carrier: a container something was in: only its own events, its
 * sources and destinations and its own containers are read, never its other contents nor what it was made of.
 */
export type FetchMode = 'content' | 'carrier'

export interface FrontierEntry {
  node: string
  mode: FetchMode
}

export interface FrontierOptions {
  direction: WalkDirection
  /** Only events at or before this time count. */
  at: Date | null
  visible: EventVisibility
  /** Read persistentDisposition from the stored events (the state question needs it; lineage does not). */
  withPersistent: boolean
}

export interface FrontierRow {
  kind: number
  entry: number | null
  pk: number
  ref: number | null
  event_id: string | null
  /** the event type; for a link row, the source/destination type */
  event_type: string | null
  action: string | null
  t: number | null
  biz_step: string | null
  disposition: string | null
  biz_location: string | null
  read_point: string | null
  /** the node's role; for a link row, the link kind */
  role: number | null
  other: string | null
  flag: boolean | null
  persistent: unknown
}

const ROW = { event: 0, own: 1, containment: 2, transformation: 3, lot: 4, link: 5, delete: 6, removed: 7 } as const

const CHILD_ROLES = sql.raw(`${Role.child}, ${Role.childQuantity}`)
const INPUT_ROLES = sql.raw(`${Role.input}, ${Role.inputQuantity}`)
const OUTPUT_ROLES = sql.raw(`${Role.output}, ${Role.outputQuantity}`)
const CONTENT = 0
const CARRIER = 1

/** An event row that is no error declaration and that no error declaration names: the events the walk uses. */
function notDeclared(alias: string): RawBuilder<boolean> {
  const e = sql.ref(alias)
  return sql<boolean>`NOT EXISTS (SELECT 1 FROM event x WHERE x.event_id = ${sql.ref(`${alias}.event_id`)}
    AND x.error_declaration_time IS NOT NULL) AND ${e}.error_declaration_time IS NULL`
}

function notAfter(alias: string, at: Date | null): RawBuilder<boolean> {
  return at === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(`${alias}.event_time`)} <= ${at.toISOString()}::timestamptz`
}

const epochMs = (column: RawBuilder<unknown>) => sql<number>`(extract(epoch FROM ${column}) * 1000)::float8`

/**
 * One round trip for a whole frontier: every event naming each node (with the node's role, and whether the
 * event was declared erroneous), the node's aggregation/association windows (each ADD or OBSERVE up to the
 * first DELETE of that child or of all children), and, for content nodes, the transformation partners (in
 * the same event or in any event sharing its transformationID) and lot memberships in the walk's direction,
 * plus the sources and destinations of those events. The visibility predicate is applied to every event read.
 */
export async function fetchFrontier(
  run: StatementRunner,
  entries: FrontierEntry[],
  options: FrontierOptions,
): Promise<FetchedNode[]> {
  if (entries.length === 0) return []
  return groupByEntry(entries, await run(frontierQuery(entries, options)))
}

/** The statement fetchFrontier runs (exported for EXPLAIN). */
export function frontierQuery(entries: FrontierEntry[], options: FrontierOptions): RawBuilder<FrontierRow> {
  const { visible, at } = options
  const downstream = options.direction === 'downstream'
  const fromRoles = downstream ? INPUT_ROLES : OUTPUT_ROLES
  const toRoles = downstream ? OUTPUT_ROLES : INPUT_ROLES
  const lotSelf = sql.ref(downstream ? 'm.lot' : 'm.instance')
  const lotOther = sql.ref(downstream ? 'm.instance' : 'm.lot')
  const persistent = options.withPersistent ? sql`e.body -> 'persistentDisposition'` : sql`NULL::jsonb`
  const parent = sql.lit(Role.parent)
  const content = sql.lit(CONTENT)

  // Every output row has the same columns; `kind` says which are meaningful (see groupByEntry).
  return sql<FrontierRow>`
    WITH f AS (
      SELECT f.node COLLATE "C" AS node, f.mode, f.entry::int AS entry
      FROM unnest(${entries.map((e) => e.node)}::text[], ${entries.map((e) => (e.mode === 'content' ? CONTENT : CARRIER))}::int[])
        WITH ORDINALITY AS f(node, mode, entry)
    ),
    own AS MATERIALIZED (
      SELECT f.entry, f.node, f.mode, ei.role, e.id AS pk, e.event_type, e.action, e.event_time, e.transformation_id,
        EXISTS (SELECT 1 FROM event x WHERE x.event_id = e.event_id AND x.error_declaration_time IS NOT NULL) AS erroneous
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
      WHERE NOT o.erroneous AND o.event_type IN ('AggregationEvent', 'AssociationEvent') AND o.action IN ('ADD', 'OBSERVE')
        AND ((o.role IN (${CHILD_ROLES}) AND p.role = ${parent})
          OR (o.mode = ${content} AND o.role = ${parent} AND p.role IN (${CHILD_ROLES})))
    ),
    deletes AS MATERIALIZED (
      SELECT pr.parent, d.id AS pk, d.event_id, d.event_type, d.event_time,
        EXISTS (SELECT 1 FROM event_identifier dc WHERE dc.event_pk = d.id AND dc.role IN (${CHILD_ROLES})) AS partial
      FROM (SELECT DISTINCT parent FROM containment) pr
      JOIN event_identifier dp ON dp.identifier = pr.parent AND dp.role = ${parent}
      JOIN event d ON d.id = dp.event_pk
      WHERE d.action = 'DELETE' AND d.event_type IN ('AggregationEvent', 'AssociationEvent')
        AND ${notAfter('d', at)} AND ${notDeclared('d')} AND ${visible('d')}
    ),
    removed AS (
      SELECT c.entry, c.pk, c.child, d.pk AS delete_pk
      FROM containment c
      JOIN deletes d ON d.parent = c.parent AND d.partial
      WHERE EXISTS (SELECT 1 FROM event_identifier dc WHERE dc.identifier = c.child AND dc.role IN (${CHILD_ROLES}) AND dc.event_pk = d.pk)
    ),
    same_event AS (
      SELECT o.entry, o.pk, e.event_id, o.event_time, p.identifier AS other
      FROM own o
      JOIN event e ON e.id = o.pk
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
      WHERE ${notAfter('s', at)} AND ${notDeclared('s')} AND ${visible('s')}
    ),
    lots AS (
      SELECT f.entry, e.id AS pk, e.event_id, e.event_time, ${lotOther} AS other
      FROM f
      JOIN lot_member m ON ${lotSelf} = f.node
      JOIN event e ON e.id = m.event_pk
      WHERE f.mode = ${content} AND ${notAfter('e', at)} AND ${notDeclared('e')} AND ${visible('e')}
    ),
    events AS (
      SELECT DISTINCT pk FROM own WHERE NOT erroneous
    )
    SELECT ${sql.lit(ROW.event)} AS kind, NULL::int AS entry, e.id AS pk, NULL::bigint AS ref, e.event_id, e.event_type, e.action,
      ${epochMs(sql`e.event_time`)} AS t, e.biz_step, e.disposition, e.biz_location, e.read_point, NULL::int AS role, NULL AS other,
      NULL::boolean AS flag, ${persistent} AS persistent
    FROM events JOIN event e ON e.id = events.pk
    UNION ALL
    SELECT ${sql.lit(ROW.own)}, entry, pk, NULL, CASE WHEN erroneous THEN (SELECT event_id FROM event WHERE id = pk) END, NULL, NULL,
      CASE WHEN erroneous THEN ${epochMs(sql`event_time`)} END, NULL, NULL, NULL, NULL, role, NULL, erroneous, NULL
    FROM own
    UNION ALL
    SELECT ${sql.lit(ROW.containment)}, entry, pk, NULL, NULL, event_type, NULL, NULL, NULL, NULL, NULL, NULL, role, other, NULL, NULL
    FROM containment
    UNION ALL
    SELECT ${sql.lit(ROW.delete)}, NULL, pk, NULL, event_id, event_type, NULL, ${epochMs(sql`event_time`)}, NULL, NULL, NULL, NULL,
      NULL, parent, partial, NULL
    FROM deletes
    UNION ALL
    SELECT ${sql.lit(ROW.removed)}, entry, pk, delete_pk, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, child, NULL, NULL
    FROM removed
    UNION ALL
    SELECT ${sql.lit(ROW.transformation)}, entry, pk, NULL, event_id, NULL, NULL, ${epochMs(sql`event_time`)}, NULL, NULL, NULL, NULL,
      NULL, other, NULL, NULL
    FROM (SELECT * FROM same_event UNION SELECT * FROM shared_id) tx
    UNION ALL
    SELECT ${sql.lit(ROW.lot)}, entry, pk, NULL, event_id, NULL, NULL, ${epochMs(sql`event_time`)}, NULL, NULL, NULL, NULL,
      NULL, other, NULL, NULL
    FROM lots
    UNION ALL
    SELECT ${sql.lit(ROW.link)}, NULL, k.event_pk, NULL, NULL, k.type, NULL, NULL, NULL, NULL, NULL, NULL, k.kind, k.value, NULL, NULL
    FROM events JOIN event_link k ON k.event_pk = events.pk AND k.kind IN (${sql.lit(LinkKind.source)}, ${sql.lit(LinkKind.destination)})`
}

interface DeleteRow {
  parent: string
  pk: number
  eventId: string
  eventType: string
  t: number
  partial: boolean
}

/** Splits the rows of one frontier statement into what each entry learnt; works out when each containment ended. */
function groupByEntry(entries: FrontierEntry[], rows: FrontierRow[]): FetchedNode[] {
  const nodes: FetchedNode[] = entries.map(() => ({
    own: [],
    erroneous: [],
    containments: [],
    transformations: [],
    lots: [],
  }))
  const events = new Map<number, FrontierRow>()
  const links = new Map<number, PartyLink[]>()
  const deletes = new Map<string, DeleteRow[]>()
  const removed = new Set<string>()
  for (const row of rows) {
    if (row.kind === ROW.event) events.set(row.pk, row)
    else if (row.kind === ROW.link) {
      let list = links.get(row.pk)
      if (!list) links.set(row.pk, (list = []))
      list.push({ kind: row.role === LinkKind.source ? 'source' : 'destination', type: row.event_type, value: row.other! })
    } else if (row.kind === ROW.delete) {
      const d = { parent: row.other!, pk: row.pk, eventId: row.event_id!, eventType: row.event_type!, t: row.t!, partial: row.flag! }
      const list = deletes.get(d.parent)
      if (list) list.push(d)
      else deletes.set(d.parent, [d])
    } else if (row.kind === ROW.removed) removed.add(`${row.entry} ${row.pk} ${row.other} ${row.ref}`)
  }
  for (const list of deletes.values()) list.sort((a, b) => a.t - b.t || a.pk - b.pk)

  for (const row of rows) {
    const entry = row.entry
    if (entry === null) continue
    const node = nodes[entry - 1]!
    switch (row.kind) {
      case ROW.own:
        if (row.flag) node.erroneous.push({ eventId: row.event_id!, t: row.t! })
        else node.own.push(ownFact(events.get(row.pk)!, row.role!, links.get(row.pk) ?? NO_LINKS))
        break
      case ROW.containment: {
        const nodeIsParent = row.role === Role.parent
        const [parent, child] = nodeIsParent ? [entries[entry - 1]!.node, row.other!] : [row.other!, entries[entry - 1]!.node]
        const ends = (deletes.get(parent) ?? NO_DELETES).filter(
          (d) => !d.partial || removed.has(`${entry} ${row.pk} ${child} ${d.pk}`),
        )
        node.containments.push(containment(events.get(row.pk)!, row, nodeIsParent, ends))
        break
      }
      case ROW.transformation:
        node.transformations.push({ other: row.other!, pk: row.pk, eventId: row.event_id!, t: row.t! })
        break
      case ROW.lot:
        node.lots.push({ other: row.other!, pk: row.pk, eventId: row.event_id!, t: row.t! })
        break
    }
  }
  return nodes
}

const NO_LINKS: PartyLink[] = []
const NO_DELETES: DeleteRow[] = []

/** The containment a start event (ADD / OBSERVE) opened, ended by the first of the given DELETEs after it. */
function containment(start: FrontierRow, row: FrontierRow, nodeIsParent: boolean, deletes: DeleteRow[]): Containment {
  const t = start.t!
  const end = deletes.find((d) => d.eventType === row.event_type && (d.t > t || (d.t === t && d.pk > row.pk)))
  return {
    relation: row.event_type === 'AssociationEvent' ? 'associated_with' : 'aggregated_into',
    other: row.other!,
    nodeIsParent,
    startPk: row.pk,
    startEventId: start.event_id!,
    start: t,
    end: end?.t ?? null,
    endEventId: end?.eventId ?? null,
  }
}

function ownFact(event: FrontierRow, role: number, links: PartyLink[]): EventFact {
  return {
    pk: event.pk,
    eventId: event.event_id!,
    eventType: event.event_type!,
    action: event.action,
    t: event.t!,
    bizStep: event.biz_step,
    disposition: event.disposition,
    bizLocation: event.biz_location,
    readPoint: event.read_point,
    role,
    persistent: event.persistent,
    links,
  }
}
