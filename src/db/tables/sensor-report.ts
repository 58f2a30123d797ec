import type { Insertable, Selectable } from 'kysely'

export const sensorReportTableName = 'sensor_report'

/** One sensorReport with its sensorMetadata filled in; numerics are strings so that no precision is lost. */
export interface SensorReportTable {
  event_pk: number
  sensor_element: number
  sensor_report: number
  type: string | null
  device_id: string | null
  data_processing_method: string | null
  biz_rules: string | null
  microorganism: string | null
  chemical_substance: string | null
  string_value: string | null
  boolean_value: boolean | null
  hex_binary_value: string | null
  uri_value: string | null
  time: Date | null
  start_time: Date | null
  end_time: Date | null
  uom: string | null
  value: string | null
  min_value: string | null
  max_value: string | null
  mean_value: string | null
  s_dev: string | null
  perc_rank: string | null
  perc_value: string | null
}

export type SensorReportRow = Selectable<SensorReportTable>
export type NewSensorReport = Insertable<SensorReportTable>
