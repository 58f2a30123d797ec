import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { ProductCategoryRow } from '../db/tables/product-category.js'

type Executor = Kysely<Database> | Transaction<Database>

export interface CategoryFields {
  nameVi: string
  nameEn: string
  gtins: string[]
  companyPrefixes: string[]
  gpcBricks: string[]
}

export async function listCategories(db: Executor): Promise<ProductCategoryRow[]> {
  return db.selectFrom('product_category').selectAll().orderBy('id').execute()
}

/** Creates or replaces a category; true when it was created. */
export async function putCategory(db: Executor, id: string, fields: CategoryFields): Promise<boolean> {
  const row = await db
    .insertInto('product_category')
    .values({
      id,
      name_vi: fields.nameVi,
      name_en: fields.nameEn,
      gtins: fields.gtins,
      company_prefixes: fields.companyPrefixes,
      gpc_bricks: fields.gpcBricks,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        name_vi: fields.nameVi,
        name_en: fields.nameEn,
        gtins: fields.gtins,
        company_prefixes: fields.companyPrefixes,
        gpc_bricks: fields.gpcBricks,
        updated_at: new Date(),
      }),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .executeTakeFirstOrThrow()
  return row.created
}

/**
 * GTINs (14 digits) whose product master data (the newest version of an EPCClass element keyed by its
 * GTIN) names one of the GPC brick codes, by brick code. The attribute is GS1's gpcCategoryCode, under any
 * prefix (gs1:, https://gs1.org/voc/, cbvmda:).
 */
export async function gtinsByGpcBrick(db: Executor, bricks: string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>()
  if (bricks.length === 0) return found
  const { rows } = await sql<{ brick: string; gtin: string }>`
    SELECT DISTINCT a.attribute #>> '{}' AS brick, substring(x.element_key from '^https://id\\.gs1\\.org/01/([0-9]{14})$') AS gtin
    FROM (
      SELECT DISTINCT ON (k.element_key) k.element_key, v.attributes
      FROM vocabulary_element_key k JOIN vocabulary_element v ON v.id = k.element_pk
      WHERE v.vocabulary_type = 'urn:epcglobal:epcis:vtype:EPCClass' AND k.element_key ~ '^https://id\\.gs1\\.org/01/[0-9]{14}$'
      ORDER BY k.element_key, k.element_pk DESC
    ) AS x
    CROSS JOIN LATERAL jsonb_to_recordset(x.attributes) AS a(id text, attribute jsonb)
    WHERE a.id ~ '[#:/]gpcCategoryCode$' AND (a.attribute #>> '{}') = ANY(${bricks}::text[])`.execute(db)
  for (const row of rows) found.set(row.brick, [...(found.get(row.brick) ?? []), row.gtin])
  return found
}
