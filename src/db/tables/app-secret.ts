import type { ColumnType, Selectable } from 'kysely'

export const appSecretTableName = 'app_secret'

export interface AppSecretTable {
  name: string
  value: Buffer
  created_at: ColumnType<Date, Date | undefined, never>
}

export type AppSecretRow = Selectable<AppSecretTable>
