import { LinkKind } from '../db/tables/event-link.js'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { VocabularyAttribute } from '../db/tables/vocabulary-element.js'
import { declaredErroneous } from '../security/declarations.js'
import { publishedOnly } from '../publication/published.js'

export interface MasterDataEntry {
  attributes: VocabularyAttribute[]
  /** The owner's permission to show commercial fields (from any stored form of the element's id); undefined when never set. */
  allowCommercialFields: boolean | undefined
}

/**
 * The newest master data of each canonical key (a location's or product's Digital Link) among the
 * elements of the given vocabulary types (a field's master data is an element of that field's type),
 * whatever form its id was written in (EPC URN, pattern, Digital Link), with the owner's
 * commercial-fields setting. Only the key's owner's versions and settings count (src/vocabulary/ownership.ts),
 * and an operator key's.
 */
export async function findMasterData(
  db: Db,
  keys: readonly string[],
  vocabularyTypes: readonly string[],
): Promise<Map<string, MasterDataEntry>> {
  if (keys.length === 0) return new Map()
  const list = [...new Set(keys)]
  const types = [...vocabularyTypes]
  const [elements, settings] = await Promise.all([
    sql<{ element_key: string; attributes: VocabularyAttribute[] }>`
      SELECT DISTINCT ON (k.element_key) k.element_key, v.attributes
      FROM vocabulary_element_key k JOIN vocabulary_element v ON v.id = k.element_pk
      LEFT JOIN master_data_owner o ON o.element_key = k.element_key
      WHERE k.element_key = ANY(${list}::text[]) AND v.vocabulary_type = ANY(${types}::text[])
        AND (v.organisation_id IS NULL OR v.organisation_id = o.organisation_id)
      ORDER BY k.element_key, k.element_pk DESC`.execute(db),
    sql<{ element_key: string; allow_commercial_fields: boolean }>`
      SELECT DISTINCT ON (k.element_key) k.element_key, s.allow_commercial_fields
      FROM vocabulary_element_key k
      JOIN vocabulary_element v ON v.id = k.element_pk
      JOIN vocabulary_element_setting s ON s.vocabulary_type = v.vocabulary_type AND s.element_id = v.element_id
      LEFT JOIN master_data_owner o ON o.element_key = k.element_key
      WHERE k.element_key = ANY(${list}::text[]) AND v.vocabulary_type = ANY(${types}::text[])
        AND s.organisation_id IS NOT DISTINCT FROM o.organisation_id
      ORDER BY k.element_key, s.updated_at DESC`.execute(db),
  ])
  const allowed = new Map(settings.rows.map((r) => [r.element_key, r.allow_commercial_fields]))
  const found = new Map<string, MasterDataEntry>()
  for (const row of elements.rows) {
    found.set(row.element_key, { attributes: row.attributes, allowCommercialFields: allowed.get(row.element_key) })
  }
  return found
}

export interface PageEventRow {
  pk: number
  eventId: string
  eventTime: Date
  offset: string
  bizStep: string | null
  disposition: string | null
  bizLocation: string | null
  readPoint: string | null
  ilmd: unknown
  certificationInfo: unknown
  /** Who recorded it; absent for an operator's capture, or an event from elsewhere whose origin did not say. */
  recorder?: Recorder
}

/** An organisation of this repository (its display name), or an origin known only by its name across repositories. */
export type Recorder = { organisation: string } | { origin: string }

/**
 * The recorder of each event, in the same query: an event first captured here, its organisation; one from
 * elsewhere (event_provenance with an origin repository), its origin organisation, by its local name when it has
 * an account here.
 */
const RECORDER_NAME = sql<string | null>`(SELECT o.name FROM organisation o
  WHERE o.id = CASE WHEN p.origin_repository IS NULL THEN event.organisation_id ELSE p.origin_organisation_id END)`
const RECORDER_ORIGIN = sql<string | null>`CASE WHEN p.origin_repository IS NOT NULL THEN p.origin_organisation END`

function recorderOf(name: string | null, origin: string | null): Recorder | undefined {
  if (name !== null) return { organisation: name }
  return origin === null ? undefined : { origin }
}

/** The events of a page: a lineage walk's (eventIDs and the nodes it walked), or events by key. */
export type PageEventSelection = { eventIds: readonly string[]; nodes: readonly string[] } | { pks: readonly number[] }

/**
 * The fields of the given events the page may show, in event-time order (never the whole captured body). eventIDs are
 * not unique (organisations keep their own events, and may reuse another's eventID), so only the events with these
 * eventIDs that name one of the lineage's nodes and that no declaration taking effect names are the walk's.
 */
export async function findPageEvents(db: Db, selection: PageEventSelection): Promise<PageEventRow[]> {
  const byKey = 'pks' in selection
  if (byKey ? selection.pks.length === 0 : selection.eventIds.length === 0 || selection.nodes.length === 0) return []
  const rows = await db
    .selectFrom('event')
    .leftJoin('event_provenance as p', 'p.event_pk', 'event.id')
    .select([
      'event.id',
      'event_id',
      'event_time',
      'event_time_zone_offset',
      'biz_step',
      'disposition',
      'biz_location',
      'read_point',
      sql<unknown>`body -> 'ilmd'`.as('ilmd'),
      sql<unknown>`body -> 'certificationInfo'`.as('certification_info'),
      RECORDER_NAME.as('recorder_name'),
      RECORDER_ORIGIN.as('recorder_origin'),
    ])
    .where(
      byKey
        ? sql<boolean>`event.id = ANY(${[...selection.pks]}::bigint[])`
        : sql<boolean>`event.event_id = ANY(${[...selection.eventIds]}::text[]) AND EXISTS (SELECT 1 FROM event_identifier i
            WHERE i.event_pk = event.id AND i.identifier = ANY(${[...new Set(selection.nodes)]}::text[]))`,
    )
    // An error declaration repeats the eventID of the event it declares: it is not a step of the journey.
    .where('error_declaration_time', 'is', null)
    .where(sql<boolean>`NOT ${declaredErroneous('event')}`)
    .where(publishedOnly('event'))
    .orderBy('event_time')
    .orderBy('event.id')
    .execute()
  return rows.map((r) => {
    const recorder = recorderOf(r.recorder_name, r.recorder_origin)
    return {
      pk: r.id,
      eventId: r.event_id,
      eventTime: r.event_time,
      offset: r.event_time_zone_offset,
      bizStep: r.biz_step,
      disposition: r.disposition,
      bizLocation: r.biz_location,
      readPoint: r.read_point,
      ilmd: r.ilmd,
      certificationInfo: r.certification_info,
      ...(recorder ? { recorder } : {}),
    }
  })
}

/** Which of the events name one of the identifiers (in any role). */
export async function eventsNaming(db: Db, eventPks: readonly number[], identifiers: readonly string[]): Promise<Set<number>> {
  if (eventPks.length === 0 || identifiers.length === 0) return new Set()
  const rows = await sql<{ event_pk: number }>`
    SELECT DISTINCT event_pk FROM event_identifier
    WHERE event_pk = ANY(${[...eventPks]}::bigint[]) AND identifier = ANY(${[...new Set(identifiers)]}::text[])`.execute(db)
  return new Set(rows.rows.map((r) => r.event_pk))
}

export interface PersistentDispositionRow {
  eventPk: number
  unset: boolean
  disposition: string
}

export async function findPersistentDispositions(db: Db, eventPks: readonly number[]): Promise<PersistentDispositionRow[]> {
  if (eventPks.length === 0) return []
  const rows = await db
    .selectFrom('event_persistent_disposition')
    .select(['event_pk', 'unset', 'disposition'])
    .where('event_pk', '=', sql<number>`ANY(${[...eventPks]}::bigint[])`)
    .execute()
  return rows.map((r) => ({ eventPk: r.event_pk, unset: r.unset, disposition: r.disposition }))
}

export interface SensorRange {
  uom: string | null
  min: string
  max: string
  readings: number
}

/** Lowest and highest reading of one measurement type over the events, per unit. */
export async function findSensorRanges(db: Db, eventPks: readonly number[], type: string): Promise<SensorRange[]> {
  if (eventPks.length === 0) return []
  const rows = await sql<{ uom: string | null; min: string | null; max: string | null; readings: number }>`
    SELECT uom, min(coalesce(min_value, value)) AS min, max(coalesce(max_value, value)) AS max, count(*)::int AS readings
    FROM sensor_report
    WHERE event_pk = ANY(${[...eventPks]}::bigint[]) AND type = ${type}
      AND coalesce(min_value, value, max_value) IS NOT NULL
    GROUP BY uom
    ORDER BY uom`.execute(db)
  return rows.rows
    .filter((r) => r.min !== null && r.max !== null)
    .map((r) => ({ uom: r.uom, min: r.min!, max: r.max!, readings: r.readings }))
}

export interface EventLinkView {
  eventPk: number
  kind: 'bizTransaction' | 'source' | 'destination'
  type: string | null
  value: string
}

const LINK_KINDS = { 1: 'bizTransaction', 2: 'source', 3: 'destination' } as const

/** Business transactions, sources and destinations of the events: commercial data, read only when the owner allows it. */
export async function findEventLinks(db: Db, eventPks: readonly number[]): Promise<EventLinkView[]> {
  if (eventPks.length === 0) return []
  const rows = await db
    .selectFrom('event_link')
    .select(['event_pk', 'kind', 'type', 'value'])
    .where('event_pk', '=', sql<number>`ANY(${[...eventPks]}::bigint[])`)
    .orderBy('event_pk')
    .orderBy('kind')
    .execute()
  return rows
    .filter((r) => r.kind in LINK_KINDS)
    .map((r) => ({ eventPk: r.event_pk, kind: LINK_KINDS[r.kind as 1 | 2 | 3], type: r.type, value: r.value }))
}

/** How many events the page of a key without lineage (a product class seen only through its items, a place) lists. */
export const DIRECT_EVENTS_LIMIT = 50

/**
 * The newest events that name a key the lineage walk does not know, the way the resolver decides that
 * it has seen the key (and so offers its gs1:traceability link): as an identifier, through an item or
 * sub-location that extends it ("key/..."), in a source or destination list (a party is often named
 * nowhere else), and for a place as read point or business location. Each way is an index lookup, so a
 * key no event names costs no walk of the event table.
 */
export async function eventKeysNamingKey(db: Db, key: string, kind: string): Promise<number[]> {
  if (kind === 'other') return []
  const names = (column: string) =>
    kind === 'instance'
      ? sql<boolean>`${sql.ref(column)} = ${key}`
      : sql<boolean>`(${sql.ref(column)} = ${key} OR (${sql.ref(column)} >= ${`${key}/`} AND ${sql.ref(column)} < ${`${key}0`}))`
  const candidates = [
    sql`SELECT i.event_pk FROM event_identifier i WHERE ${names('i.identifier')}`,
    sql`SELECT l.event_pk FROM event_link l WHERE l.value = ${key} AND l.kind IN (${LinkKind.source}, ${LinkKind.destination})`,
    ...(kind === 'location'
      ? [
          sql`SELECT e.id FROM event e WHERE ${names('e.read_point')}`,
          sql`SELECT e.id FROM event e WHERE ${names('e.biz_location')}`,
        ]
      : []),
  ]
  const rows = await sql<{ id: number }>`
    SELECT e.id FROM event e
    WHERE e.id IN (${sql.join(candidates, sql` UNION `)}) AND ${publishedOnly('e')}
    ORDER BY e.event_time DESC, e.id DESC
    LIMIT ${DIRECT_EVENTS_LIMIT}`.execute(db)
  return rows.rows.map((row) => Number(row.id))
}
