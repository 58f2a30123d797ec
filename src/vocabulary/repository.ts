import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, Db } from '../db/database.js'
import type { VocabularyElementSettingRow } from '../db/tables/vocabulary-element-setting.js'
import type { VocabularyElementRow } from '../db/tables/vocabulary-element.js'
import { visibleElementCondition } from '../security/master-data-visibility.js'
import type { VisibilityScope } from '../security/visibility.js'

type Executor = Kysely<Database> | Transaction<Database>

export interface VocabularyFilter {
  type?: string
  id?: string
  after?: { type: string; id: string }
  limit: number
  /** Only elements this caller may read (src/security/master-data-visibility.ts); undefined: every element. */
  visibility?: VisibilityScope
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
    .$if(filter.visibility !== undefined, (q) => q.where(visibleElementCondition(filter.visibility!, 'vocabulary_element')))
    .orderBy('vocabulary_type')
    .orderBy('element_id')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute()
}

/** Every stored version of one element, newest first (none when `visibility` hides the element). */
export async function findElementVersions(
  db: Executor,
  type: string,
  id: string,
  visibility?: VisibilityScope,
): Promise<VocabularyElementRow[]> {
  return db
    .selectFrom('vocabulary_element')
    .selectAll()
    .where('vocabulary_type', '=', type)
    .where('element_id', '=', id)
    .$if(visibility !== undefined, (q) => q.where(visibleElementCondition(visibility!, 'vocabulary_element')))
    .orderBy('id', 'desc')
    .execute()
}

export interface ElementRef {
  type: string
  id: string
}

/** The owner settings of some elements, keyed "type\nid". */
export async function findSettings(db: Db, elements: readonly ElementRef[]): Promise<Map<string, VocabularyElementSettingRow>> {
  if (elements.length === 0) return new Map()
  const rows = await db
    .selectFrom('vocabulary_element_setting')
    .selectAll()
    .where(sql<boolean>`(vocabulary_type, element_id) IN (${sql.join(elements.map((e) => sql`(${e.type}, ${e.id})`))})`)
    .execute()
  return new Map(rows.map((row) => [settingKey({ type: row.vocabulary_type, id: row.element_id }), row]))
}

export const settingKey = (element: ElementRef): string => `${element.type}\n${element.id}`

export async function elementExists(db: Executor, element: ElementRef): Promise<boolean> {
  const row = await db
    .selectFrom('vocabulary_element')
    .select('id')
    .where('vocabulary_type', '=', element.type)
    .where('element_id', '=', element.id)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export async function saveSetting(
  db: Executor,
  element: ElementRef,
  setting: { allowCommercialFields: boolean; organisationId: string | null },
): Promise<VocabularyElementSettingRow> {
  const values = {
    vocabulary_type: element.type,
    element_id: element.id,
    allow_commercial_fields: setting.allowCommercialFields,
    organisation_id: setting.organisationId,
  }
  return db
    .insertInto('vocabulary_element_setting')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['vocabulary_type', 'element_id']).doUpdateSet({
        allow_commercial_fields: values.allow_commercial_fields,
        organisation_id: values.organisation_id,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}
