import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { VocabularyAttribute } from '../db/tables/vocabulary-element.js'
import type { EventVisibility } from './visibility.js'
import { declarationInEffect } from '../security/declarations.js'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * The attributes of the newest version of each of the given master data elements (ids as captured)
 * among the elements of the given vocabulary types, keyed by elementKey(type, id), as written by the owner of
 * the element's key or an operator key (src/vocabulary/ownership.ts).
 */
export async function findElementAttributes(
  db: Executor,
  ids: string[],
  vocabularyTypes: readonly string[],
): Promise<Map<string, VocabularyAttribute[]>> {
  if (ids.length === 0 || vocabularyTypes.length === 0) return new Map()
  const rows = await db
    .selectFrom('vocabulary_element')
    .distinctOn(['vocabulary_type', 'element_id'])
    .select(['vocabulary_type', 'element_id', 'attributes'])
    .where('element_id', '=', sql<string>`ANY(${ids}::text[])`)
    .where(sql<boolean>`(vocabulary_element.organisation_id IS NULL OR EXISTS (
      SELECT 1 FROM vocabulary_element_key k JOIN master_data_owner o ON o.element_key = k.element_key
      WHERE k.element_pk = vocabulary_element.id AND o.organisation_id = vocabulary_element.organisation_id))`)
    .where('vocabulary_type', '=', sql<string>`ANY(${[...vocabularyTypes]}::text[])`)
    .orderBy('vocabulary_type')
    .orderBy('element_id')
    .orderBy('id', 'desc')
    .execute()
  return new Map(rows.map((r) => [elementKey(r.vocabulary_type, r.element_id), r.attributes]))
}

export const elementKey = (vocabularyType: string, elementId: string): string => `${vocabularyType} ${elementId}`

export interface Declaration {
  eventId: string
  declarationTime: Date
  reason: string | null
  correctiveEventIds: string[]
}

/** The error declarations that take effect (visible to the caller) of the given eventIDs, earliest first. */
export async function findDeclarations(
  db: Executor,
  eventIds: string[],
  visible: EventVisibility,
): Promise<Declaration[]> {
  if (eventIds.length === 0) return []
  const result = await sql<{ event_id: string; declared: Date; reason: string | null; corrective: unknown }>`
    SELECT e.event_id, e.error_declaration_time AS declared, e.error_reason AS reason,
      e.body -> 'errorDeclaration' -> 'correctiveEventIDs' AS corrective
    FROM event e
    WHERE e.event_id = ANY(${eventIds}::text[]) AND ${declarationInEffect('e')} AND ${visible('e')}
    ORDER BY e.error_declaration_time, e.id`.execute(db)
  return result.rows.map((r) => ({
    eventId: r.event_id,
    declarationTime: r.declared,
    reason: r.reason,
    correctiveEventIds: Array.isArray(r.corrective)
      ? r.corrective.filter((c): c is string => typeof c === 'string')
      : [],
  }))
}
