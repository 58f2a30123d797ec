/**
 * What a push sends to a peer's POST /capture: an EPCISDocument in JSON-LD holding the events exactly
 * as captured here (with their eventIDs, without this repository's recordTime), the master data of the
 * locations and products they name (epcisHeader.epcisMasterData, so the receiver's pages can show
 * names), and each event's provenance (epcisHeader["nguon:provenance"]: where it was first captured).
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { isObject } from '../epcis/document.js'
import { mergeContexts } from '../query/render.js'
import type { StoredEventRow } from '../query/repository.js'
import { PROVENANCE_MEMBER, PROVENANCE_NAMESPACE, PROVENANCE_PREFIX, type ProvenanceEntry } from './provenance-header.js'
import { provenanceEntries } from './provenance-repository.js'

export interface PushEvent {
  id: number
  eventId: string
  /** The event as JSON text, without recordTime. */
  json: string
  context: unknown[] | null
  provenance: ProvenanceEntry
}

interface PushEventRow {
  id: number
  event_id: string
  record_time: Date
  json: string
  context: unknown[] | null
}

/**
 * The events of a batch, in the batch's order, each with its provenance: where it was first captured (carried
 * on from the repository that sent it here, if one did); `repository`: what this repository calls itself.
 * The event's text is PostgreSQL's own (without recordTime, with the eventID it was stored under if it had
 * none): the sender no longer parses each body to write it again (the federation bench's sender CPU per
 * event went from 76-82 to 53-61 µs with the per-document reads of push-sender.ts).
 */
export async function readPushEvents(db: Db, ids: number[], repository: string): Promise<PushEvent[]> {
  const origins = new Map((await provenanceEntries(db, ids, repository)).map((entry) => [entry.eventID, entry]))
  const result = await sql<PushEventRow>`
    SELECT event.id, event.event_id, event.record_time, document_context.context,
      CASE WHEN event.body ? 'recordTime' OR NOT event.body ? 'eventID'
        THEN (jsonb_build_object('eventID', event.event_id) || event.body - 'recordTime')::text
        ELSE event.body::text END AS json
    FROM event LEFT JOIN document_context ON document_context.id = event.context_id
    WHERE event.id = ANY(${ids}::bigint[])`.execute(db)
  const byId = new Map(result.rows.map((row) => [Number(row.id), row]))
  return ids.map((id) => {
    const row = byId.get(Number(id))
    if (!row) throw new Error(`event ${id} disappeared during its delivery`)
    return {
      id: Number(row.id),
      eventId: row.event_id,
      json: row.json,
      context: row.context,
      provenance: origins.get(row.event_id) ?? { eventID: row.event_id, originOrganisation: null, originRepository: repository, originRecordTime: row.record_time.toISOString() },
    }
  })
}

export interface MasterDataVocabulary {
  type: string
  vocabularyElementList: Array<{ id: string; attributes?: unknown[]; children?: string[] }>
}

/** One master-data element as stored (its newest version): `version` is its row's key. */
export interface MasterDataElement {
  type: string
  id: string
  version: number
  attributes: unknown[]
  children: string[]
}

/**
 * The newest master data of the locations (readPoint, bizLocation) and products (EPC classes, and the GTIN
 * of each lot or serialised item) the events name.
 */
export async function masterDataOfEvents(db: Db, ids: number[]): Promise<MasterDataElement[]> {
  const result = await sql<{ vocabulary_type: string; element_id: string; id: number; attributes: unknown[]; children: string[] }>`
    WITH named AS (
      SELECT read_point AS key FROM event WHERE id = ANY(${ids}::bigint[])
      UNION SELECT biz_location FROM event WHERE id = ANY(${ids}::bigint[])
      UNION SELECT identifier FROM event_identifier WHERE event_pk = ANY(${ids}::bigint[])
      UNION SELECT substring(identifier FROM '^https://id\\.gs1\\.org/01/[0-9]{14}') FROM event_identifier WHERE event_pk = ANY(${ids}::bigint[])
    )
    SELECT DISTINCT ON (k.element_key) v.vocabulary_type, v.element_id, v.id, v.attributes, v.children
    FROM vocabulary_element_key k JOIN vocabulary_element v ON v.id = k.element_pk
    WHERE k.element_key IN (SELECT key FROM named WHERE key IS NOT NULL)
    ORDER BY k.element_key, k.element_pk DESC`.execute(db)
  return result.rows.map((row) => ({ type: row.vocabulary_type, id: row.element_id, version: Number(row.id), attributes: row.attributes, children: row.children }))
}

/** Elements grouped by vocabulary type, as epcisMasterData.vocabularyList writes them. */
export function vocabularyList(elements: MasterDataElement[]): MasterDataVocabulary[] {
  const byType = new Map<string, MasterDataVocabulary>()
  for (const element of elements) {
    let vocabulary = byType.get(element.type)
    if (!vocabulary) byType.set(element.type, (vocabulary = { type: element.type, vocabularyElementList: [] }))
    vocabulary.vocabularyElementList.push({
      id: element.id,
      ...(element.attributes.length > 0 ? { attributes: element.attributes } : {}),
      ...(element.children.length > 0 ? { children: element.children } : {}),
    })
  }
  return [...byType.values()]
}

/** The document's bytes for some of a batch's events (one POST /capture). */
export function pushDocument(events: PushEvent[], masterData: MasterDataVocabulary[]): Buffer {
  const { context, ownContext } = mergeContexts(events.map((e) => ({ context: e.context }) as StoredEventRow))
  // The prefix joins the events' own prefixes (one object: the GS1 JSON Schema wants the @context items unique).
  // Should the events use the prefix for another namespace, the member is written as its full IRI instead.
  const last = context.at(-1)
  const prefixes = isObject(last) ? last : {}
  const clash = prefixes[PROVENANCE_PREFIX] !== undefined && prefixes[PROVENANCE_PREFIX] !== PROVENANCE_NAMESPACE
  const withNguon = clash ? context : [...context.filter((c) => c !== last || !isObject(c)), { ...prefixes, [PROVENANCE_PREFIX]: PROVENANCE_NAMESPACE }]
  const member = clash ? `${PROVENANCE_NAMESPACE}provenance` : PROVENANCE_MEMBER
  const header: Record<string, unknown> = { [member]: events.map((e) => e.provenance) }
  if (masterData.length > 0) header.epcisMasterData = { vocabularyList: masterData }
  const head = JSON.stringify({
    '@context': withNguon,
    id: `urn:uuid:${randomUUID()}`,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisHeader: header,
  })
  const list = events.map((event, index) => (ownContext.has(index) ? withOwnContext(event.json, event.context) : event.json))
  return Buffer.from(`${head.slice(0, -1)},"epcisBody":{"eventList":[${list.join(',')}]}}`)
}

function withOwnContext(json: string, context: unknown[] | null): string {
  const own = `{"@context":${JSON.stringify(context)}`
  return json === '{}' ? `${own}}` : `${own},${json.slice(1)}`
}
