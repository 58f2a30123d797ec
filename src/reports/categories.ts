import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '../db/database.js'
import type { ProductCategoryRow } from '../db/tables/product-category.js'
import { ERRORS } from '../errors.js'
import { hasValidGs1CheckDigit } from '../identifiers/index.js'
import { gtinsByGpcBrick, listCategories, type CategoryFields } from './category-repository.js'

/** A category as the reports match it: GTINs (those listed and those whose master data names a listed GPC brick) and prefixes. */
export interface CategoryMatcher {
  id: string
  name: { vi: string; en: string }
  gtins: string[]
  companyPrefixes: string[]
}

export interface CategoryView {
  id: string
  name: { vi: string; en: string }
  gtins: string[]
  companyPrefixes: string[]
  gpcBricks: string[]
  updatedAt: string
}

export function categoryView(row: ProductCategoryRow): CategoryView {
  return {
    id: row.id,
    name: { vi: row.name_vi, en: row.name_en },
    gtins: row.gtins,
    companyPrefixes: row.company_prefixes,
    gpcBricks: row.gpc_bricks,
    updatedAt: row.updated_at.toISOString(),
  }
}

/** A GTIN-8, -12, -13 or -14 as the 14 digits canonical keys carry; 400 when its check digit is wrong. */
function gtin14(value: string, pointer: string): string {
  if (!/^([0-9]{8}|[0-9]{12,14})$/.test(value) || !hasValidGs1CheckDigit(value)) {
    throw ERRORS.validation(`'${value}' is not a GTIN`, [{ pointer, message: 'must be a GTIN-8, -12, -13 or -14 with its check digit' }])
  }
  return value.padStart(14, '0')
}

export interface CategoryBody {
  name: { vi: string; en: string }
  gtins?: string[]
  companyPrefixes?: string[]
  gpcBricks?: string[]
}

export function categoryFields(body: CategoryBody): CategoryFields {
  const gtins = (body.gtins ?? []).map((g, i) => gtin14(g, `/gtins/${i}`))
  const companyPrefixes = body.companyPrefixes ?? []
  const gpcBricks = body.gpcBricks ?? []
  if (gtins.length + companyPrefixes.length + gpcBricks.length === 0) {
    throw ERRORS.validation('A category needs at least one GTIN, GS1 Company Prefix or GPC brick code')
  }
  return { nameVi: body.name.vi, nameEn: body.name.en, gtins: [...new Set(gtins)], companyPrefixes: [...new Set(companyPrefixes)], gpcBricks: [...new Set(gpcBricks)] }
}

/** Every category, resolved to what the reports match (the GPC bricks through product master data). */
export async function categoryMatchers(db: Db): Promise<CategoryMatcher[]> {
  const rows = await listCategories(db)
  const byBrick = await gtinsByGpcBrick(db, [...new Set(rows.flatMap((r) => r.gpc_bricks))])
  return rows.map((row) => ({
    id: row.id,
    name: { vi: row.name_vi, en: row.name_en },
    gtins: [...new Set([...row.gtins, ...row.gpc_bricks.flatMap((b) => byBrick.get(b) ?? [])])],
    companyPrefixes: row.company_prefixes,
  }))
}

/** The categories the report is cut to: all of them, or the one asked for (404 when unknown). */
export function pickCategories(all: CategoryMatcher[], wanted: string | undefined): CategoryMatcher[] {
  if (wanted === undefined) return all
  const found = all.filter((c) => c.id === wanted)
  if (found.length === 0) throw ERRORS.noSuchResource(`No product category ${wanted}`)
  return found
}

/** The GTIN of a canonical key (…/01/<14 digits>…), or NULL. */
export function gtinOf(identifier: RawBuilder<unknown>): RawBuilder<string | null> {
  return sql<string | null>`(CASE WHEN starts_with(${identifier}, 'https://id.gs1.org/01/') THEN substr(${identifier}, 23, 14) END)`
}

/** The lot key (…/01/<GTIN>/10/<lot>) of an LGTIN key or of a Digital Link carrying a lot, or NULL. */
export function lotOf(identifier: RawBuilder<unknown>): RawBuilder<string | null> {
  return sql<string | null>`(CASE WHEN starts_with(${identifier}, 'https://id.gs1.org/01/') AND substr(${identifier}, 37, 4) = '/10/'
    THEN substring(${identifier} from '^(https://id\\.gs1\\.org/01/[0-9]{14}/10/[^/]+)') END)`
}

/**
 * The digits of a canonical key that start with its GS1 Company Prefix: a GTIN or SSCC without its indicator or
 * extension digit, a GRAI or GIAI without the GRAI's leading zero, a GLN as it is.
 */
export function prefixDigits(identifier: RawBuilder<unknown>): RawBuilder<string | null> {
  return sql<string | null>`CASE
    WHEN starts_with(${identifier}, 'https://id.gs1.org/01/') OR starts_with(${identifier}, 'https://id.gs1.org/00/') THEN substr(${identifier}, 24, 17)
    WHEN starts_with(${identifier}, 'https://id.gs1.org/8003/') THEN substring(${identifier} from '^https://id\\.gs1\\.org/8003/0([0-9]+)')
    ELSE substring(${identifier} from '^https://id\\.gs1\\.org/[0-9]+/([0-9]+)') END`
}

/** A json_to_recordset of the categories: (id text, gtins text[], prefixes text[]) under alias c. */
export function categoryRows(categories: CategoryMatcher[]): RawBuilder<unknown> {
  const rows = categories.map((c) => ({ id: c.id, gtins: c.gtins, prefixes: c.companyPrefixes.map((p) => `${p}%`) }))
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) AS c(id text, gtins text[], prefixes text[])`
}

/** Whether the identifier (a canonical key expression) belongs to the category row under alias c. */
export function inCategory(identifier: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${gtinOf(identifier)} = ANY(c.gtins) OR ${prefixDigits(identifier)} LIKE ANY(c.prefixes))`
}
