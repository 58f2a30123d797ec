import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { VocabularyElementRow } from '../db/tables/vocabulary-element.js'

export interface VocabularyFilter {
  type?: string
  id?: string
  after?: { type: string; id: string }
  limit: number
}

/** The newest version of each matching vocabulary element, ordered by (type, id). */
export async function findLatestElements(db: Db, filter: VocabularyFilter): Promise<VocabularyElementRow[]> {
  return db
    .selectFrom('vocabulary_element')
    .distinctOn(['vocabulary_type', 'element_id'])
    .selectAll()
    .$if(filter.type !== undefined, (q) => q.where('vocabulary_type', '=', filter.type!))
    .$if(filter.id !== undefined, (q) => q.where('element_id', '=', filter.id!))
    .$if(filter.after !== undefined, (q) =>
      q.where(sql<boolean>`(vocabulary_type, element_id) > (${filter.after!.type}, ${filter.after!.id})`),
    )
    .orderBy('vocabulary_type')
    .orderBy('element_id')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute()
}

/** Every stored version of one element, newest first. */
export async function findElementVersions(db: Db, type: string, id: string): Promise<VocabularyElementRow[]> {
  return db
    .selectFrom('vocabulary_element')
    .selectAll()
    .where('vocabulary_type', '=', type)
    .where('element_id', '=', id)
    .orderBy('id', 'desc')
    .execute()
}
