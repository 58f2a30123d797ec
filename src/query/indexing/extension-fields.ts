import { FieldScope } from '../../db/tables/event-field.js'
import { isObject, type EpcisEvent } from '../../epcis/document.js'
import { scalarForms } from '../values.js'
import { isNumeric, type ExactNumber } from '../../epcis/exact-number.js'

/** One occurrence of an extension field, as stored in event_field. */
export interface FieldRow {
  scope: FieldScope
  /** Full IRI of the field name. */
  name: string
  /** false for a top-level field of its scope, true for a field inside one. */
  nested: boolean
  sensorElement: number | null
  sensorReport: number | null
  text: string | null
  num: string | null
  time: string | null
}

export interface FieldNaming {
  /** Compact property name -> full IRI (the document's JSON-LD context). */
  expandName(name: string): string
  /** The event-level properties the standard defines; every other one is an extension field. */
  standardFields: ReadonlySet<string>
}

/** Enough for any sane event, bounded against pathological ones. */
const MAX_ROWS = 2000
const MAX_DEPTH = 32

const ERROR_DECLARATION_FIELDS = new Set(['declarationTime', 'reason', 'correctiveEventIDs'])
const PLACE_FIELDS = new Set(['id'])
const SENSOR_ELEMENT_FIELDS = new Set(['sensorMetadata', 'sensorReport'])
const SENSOR_METADATA_FIELDS = new Set([
  'time', 'deviceID', 'deviceMetadata', 'rawData', 'startTime', 'endTime', 'dataProcessingMethod', 'bizRules',
])
const SENSOR_REPORT_FIELDS = new Set([
  'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules', 'time',
  'microorganism', 'chemicalSubstance', 'coordinateReferenceSystem', 'value', 'component', 'stringValue',
  'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank',
  'percValue', 'uom',
])

const NO_FORMS = { text: null, num: null, time: null } as const

interface Place {
  scope: FieldScope
  sensorElement: number | null
  sensorReport: number | null
}

/** A JSON-LD value object ({"@value": ...} or {"@id": ...}) stands for its scalar. */
function jsonLdScalar(value: Record<string, unknown>): string | number | boolean | ExactNumber | undefined {
  const scalar = '@value' in value ? value['@value'] : '@id' in value ? value['@id'] : undefined
  return typeof scalar === 'string' || isNumeric(scalar) || typeof scalar === 'boolean' ? scalar : undefined
}

class FieldCollector {
  readonly rows: FieldRow[] = []
  constructor(private readonly expandName: (name: string) => string) {}

  /** The extension properties of one object (those not in `standard`), as top-level fields of `place`. */
  object(place: Place, object: unknown, standard: ReadonlySet<string>): void {
    if (!isObject(object)) return
    for (const [key, value] of Object.entries(object)) {
      if (standard.has(key) || key.startsWith('@')) continue
      this.value(place, this.expandName(key), value, false, 0)
    }
  }

  private push(place: Place, name: string, nested: boolean, value: string | number | boolean | ExactNumber | null): void {
    const forms = value === null ? NO_FORMS : scalarForms(value)
    const { scope, sensorElement, sensorReport } = place
    this.rows.push({ scope, sensorElement, sensorReport, name, nested, text: forms.text, num: forms.num, time: forms.time })
  }

  private value(place: Place, name: string, value: unknown, nested: boolean, depth: number): void {
    if (this.rows.length >= MAX_ROWS || depth > MAX_DEPTH) return
    if (Array.isArray(value)) {
      for (const item of value) this.value(place, name, item, nested, depth + 1)
      return
    }
    if (isObject(value)) {
      const scalar = jsonLdScalar(value)
      if (scalar !== undefined) return this.push(place, name, nested, scalar)
      this.push(place, name, nested, null)
      for (const [key, child] of Object.entries(value)) {
        if (!key.startsWith('@')) this.value(place, this.expandName(key), child, true, depth + 1)
      }
      return
    }
    if (typeof value === 'string' || isNumeric(value) || typeof value === 'boolean') {
      this.push(place, name, nested, value)
    } else {
      this.push(place, name, nested, null)
    }
  }
}

const at = (scope: FieldScope, sensorElement: number | null = null, sensorReport: number | null = null): Place => ({
  scope,
  sensorElement,
  sensorReport,
})

/**
 * Every extension field of an event, wherever the standard allows one: on the event, in ilmd, in
 * errorDeclaration, readPoint and bizLocation, and in each sensorElement, its sensorMetadata and
 * its sensorReports. Names are expanded to full IRIs with the document's context.
 */
export function extensionFieldsOf(event: EpcisEvent, naming: FieldNaming): FieldRow[] {
  const collect = new FieldCollector(naming.expandName)
  collect.object(at(FieldScope.event), event, naming.standardFields)
  collect.object(at(FieldScope.ilmd), event.ilmd, new Set())
  collect.object(at(FieldScope.errorDeclaration), event.errorDeclaration, ERROR_DECLARATION_FIELDS)
  collect.object(at(FieldScope.readPoint), event.readPoint, PLACE_FIELDS)
  collect.object(at(FieldScope.bizLocation), event.bizLocation, PLACE_FIELDS)
  const elements = Array.isArray(event.sensorElementList) ? event.sensorElementList : []
  elements.forEach((element, e) => {
    if (!isObject(element) || e > 32767) return
    collect.object(at(FieldScope.sensorElement, e), element, SENSOR_ELEMENT_FIELDS)
    collect.object(at(FieldScope.sensorMetadata, e), element.sensorMetadata, SENSOR_METADATA_FIELDS)
    const reports = Array.isArray(element.sensorReport) ? element.sensorReport : []
    reports.forEach((report, r) => {
      if (r <= 32767) collect.object(at(FieldScope.sensorReport, e, r), report, SENSOR_REPORT_FIELDS)
    })
  })
  return collect.rows
}
