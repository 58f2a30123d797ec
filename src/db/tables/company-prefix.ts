import type { ColumnType, Selectable } from 'kysely'

export const companyPrefixTableName = 'company_prefix'

export type CompanyPrefixSource = 'captured' | 'operator'

export interface CompanyPrefixTable {
  prefix: string
  source: CompanyPrefixSource
  created_at: ColumnType<Date, Date | undefined, never>
}

export type CompanyPrefixRow = Selectable<CompanyPrefixTable>
