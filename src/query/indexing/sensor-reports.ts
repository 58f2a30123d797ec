import { isObject, type EpcisEvent } from '../../epcis/document.js'
import { decimalText, hexKey, isDateTime, uriKey, vocabularyKey } from '../values.js'
import { isNumeric } from '../../epcis/exact-number.js'

/** One sensorReport with its sensorElement's metadata filled in, as stored in sensor_report. */
export interface SensorReportIndex {
  sensorElement: number
  sensorReport: number
  type: string | null
  deviceId: string | null
  dataProcessingMethod: string | null
  bizRules: string | null
  microorganism: string | null
  chemicalSubstance: string | null
  stringValue: string | null
  booleanValue: boolean | null
  hexBinaryValue: string | null
  uriValue: string | null
  time: string | null
  startTime: string | null
  endTime: string | null
  uom: string | null
  value: string | null
  minValue: string | null
  maxValue: string | null
  meanValue: string | null
  sDev: string | null
  percRank: string | null
  percValue: string | null
}

type Json = Record<string, unknown>

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)
const uri = (value: unknown): string | null => (typeof value === 'string' ? uriKey(value) : null)
const time = (value: unknown): string | null => (typeof value === 'string' && isDateTime(value) ? value : null)

function decimal(value: unknown): string | null {
  return isNumeric(value) || typeof value === 'string' ? (decimalText(value) ?? null) : null
}

function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value
  return value === 'true' ? true : value === 'false' ? false : null
}

/** The report's own value, else its sensorElement's metadata value (EPCIS 2.0 7.3.8: the report may override). */
function inherited(report: Json, metadata: Json, key: string): unknown {
  return report[key] ?? metadata[key]
}

/** Every sensorReport of an event, one row each, with the values its queries compare. */
export function sensorReportsOf(event: EpcisEvent): SensorReportIndex[] {
  const rows: SensorReportIndex[] = []
  const elements = Array.isArray(event.sensorElementList) ? event.sensorElementList : []
  elements.forEach((element, e) => {
    if (!isObject(element) || e > 32767) return
    const metadata = isObject(element.sensorMetadata) ? element.sensorMetadata : {}
    const reports = Array.isArray(element.sensorReport) ? element.sensorReport : []
    reports.forEach((report, r) => {
      if (!isObject(report) || r > 32767) return
      rows.push({
        sensorElement: e,
        sensorReport: r,
        type: typeof report.type === 'string' ? vocabularyKey('measurementType', report.type) : null,
        deviceId: uri(inherited(report, metadata, 'deviceID')),
        dataProcessingMethod: uri(inherited(report, metadata, 'dataProcessingMethod')),
        bizRules: uri(inherited(report, metadata, 'bizRules')),
        microorganism: uri(report.microorganism),
        chemicalSubstance: uri(report.chemicalSubstance),
        stringValue: text(report.stringValue),
        booleanValue: bool(report.booleanValue),
        hexBinaryValue: typeof report.hexBinaryValue === 'string' ? hexKey(report.hexBinaryValue) : null,
        uriValue: uri(report.uriValue),
        time: time(inherited(report, metadata, 'time')),
        startTime: time(metadata.startTime),
        endTime: time(metadata.endTime),
        uom: text(report.uom),
        value: decimal(report.value),
        minValue: decimal(report.minValue),
        maxValue: decimal(report.maxValue),
        meanValue: decimal(report.meanValue),
        sDev: decimal(report.sDev),
        percRank: decimal(report.percRank),
        percValue: decimal(report.percValue),
      })
    })
  })
  return rows
}
