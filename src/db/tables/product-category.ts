import type { ColumnType, Selectable } from 'kysely'

export const productCategoryTableName = 'product_category'

/** A category of the priority product list (migration 0034). */
export interface ProductCategoryTable {
  id: string
  name_vi: string
  name_en: string
  gtins: string[]
  company_prefixes: string[]
  gpc_bricks: string[]
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export type ProductCategoryRow = Selectable<ProductCategoryTable>
