import type { VisibilityScope } from '../security/visibility.js'
import { FieldScope } from '../db/tables/event-field.js'
import type { PublicationState } from '../db/tables/event-publication.js'
import type { ProvenanceFilter } from '../federation/query.js'

const ERROR_DECLARATION_SCOPE: number = FieldScope.errorDeclaration

/** A parsed EPCIS query: a list of typed filters, AND'ed; the values inside one filter are OR'ed. */
export type Filter =
  /** The events the caller may see (src/security/visibility.ts); added by the service, never parsed from a query. */
  | { kind: 'visibleTo'; scope: VisibilityScope }
  /**
   * Events, error declarations that take effect, and the organisation's own declarations without effect
   * (src/security/declarations.ts); added by the service to every read, never parsed from a query.
   */
  | { kind: 'declarationsShownTo'; organisationId: string | null }
  /** Only error declarations that take effect; added by the service to a query with any error-declaration parameter. */
  | { kind: 'declarationInEffect' }
  | { kind: 'eventType'; values: string[] }
  | { kind: 'time'; column: TimeColumn; op: '>=' | '<'; value: string }
  | { kind: 'equals'; column: EqualsColumn; values: string[] }
  | { kind: 'exists'; column: 'error_declaration_time' }
  | { kind: 'correctiveEventId'; values: string[] }
  | { kind: 'identifier'; roles: number[]; exact: string[]; like: string[] }
  /** A quantity of a QuantityElement; with a unit, in that unit or one convertible to it. */
  | { kind: 'quantity'; op: Comparison; values: string[]; uom: string | null }
  /** An entry of bizTransactionList / sourceList / destinationList with this type and one of these values. */
  | { kind: 'link'; link: number; type: string; values: string[] }
  | { kind: 'persistentDisposition'; unset: boolean; values: string[] }
  /** readPoint / bizLocation equal to one of the values or to a descendant in the master-data hierarchy. */
  | { kind: 'descendants'; column: 'read_point' | 'biz_location'; vocabularyType: string; values: string[] }
  /** HASATTR_ (values null) and EQ_ATTR_: the field's value is a master-data element with such an attribute. */
  | { kind: 'masterData'; target: MasterDataTarget; attributes: string[]; values: string[] | null }
  | { kind: 'field'; place: FieldPlace; test: ValueTest }
  /** Every sensor parameter of a query: one sensorReport must satisfy all the tests together. */
  | { kind: 'sensor'; tests: SensorTest[] }
  /** EQ_publicationState (src/publication): the events in one of these states. */
  | { kind: 'publicationState'; states: PublicationState[] }
  /** EQ_sourceRepository, EQ_originOrganisation (src/federation/query.ts). */
  | ProvenanceFilter

export type Comparison = '=' | '>' | '>=' | '<' | '<='
export type Inequality = Exclude<Comparison, '='>

export type EqualsColumn =
  | 'action'
  | 'biz_step'
  | 'disposition'
  | 'read_point'
  | 'biz_location'
  | 'event_id'
  | 'error_reason'
  | 'transformation_id'

export type TimeColumn = 'event_time' | 'record_time' | 'error_declaration_time'

/** Which extension fields a test looks at: full IRIs (a prefix may stand for several namespaces), scope, nesting. */
export interface FieldPlace {
  scope: number
  nested: boolean
  names: string[]
}

/** What an extension-field parameter asks of a value: EQ compares text, numbers and times; GT... numbers or times. */
export type ValueTest =
  | { op: 'exists' }
  | { op: '='; texts: string[]; nums: string[]; times: string[] }
  | { op: Inequality; num: string; time?: undefined }
  | { op: Inequality; time: string; num?: undefined }

/** Where the element is named, and the vocabulary type its master data must have (any type for an extension field). */
export type MasterDataTarget =
  | { kind: 'column'; column: 'read_point' | 'biz_location' | 'biz_step' | 'disposition'; vocabularyType: string }
  | { kind: 'field'; names: string[] }

export type SensorTimeColumn = 'time' | 'start_time' | 'end_time'
export type SensorTextColumn =
  | 'type'
  | 'device_id'
  | 'data_processing_method'
  | 'microorganism'
  | 'chemical_substance'
  | 'biz_rules'
  | 'string_value'
  | 'hex_binary_value'
  | 'uri_value'
export type SensorMeasureColumn = 'value' | 'min_value' | 'max_value' | 'mean_value' | 's_dev' | 'perc_value'

export type SensorTest =
  | { kind: 'exists' }
  | { kind: 'time'; column: SensorTimeColumn; op: '>=' | '<'; value: string }
  | { kind: 'equals'; column: SensorTextColumn; values: string[] }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'measure'; column: SensorMeasureColumn; op: Comparison; values: string[]; uom: string }
  | { kind: 'percRank'; op: Comparison; values: string[] }
  | { kind: 'field'; place: FieldPlace; test: ValueTest }

export type OrderDirection = 'ASC' | 'DESC'

/** Result order; 'storage' (no orderBy) is the order events were stored in. */
export type Order =
  | { by: 'storage' }
  | { by: 'eventTime' | 'recordTime'; direction: OrderDirection }
  | { by: 'field'; names: string[]; direction: OrderDirection }

export interface ParsedQuery {
  filters: Filter[]
  order: Order
  /** Only the first N events in order (needs orderBy). */
  eventCountLimit: number | undefined
  /** More matching events than this is a QueryTooLargeException. */
  maxEventCount: number | undefined
  perPage: number
  nextPageToken: string | undefined
}

/** Whether a filter asks about error declarations (then only declarations that take effect may match). */
export function readsDeclarations(filter: Filter): boolean {
  switch (filter.kind) {
    case 'exists':
    case 'correctiveEventId':
      return true
    case 'time':
      return filter.column === 'error_declaration_time'
    case 'equals':
      return filter.column === 'error_reason'
    case 'field':
      return filter.place.scope === ERROR_DECLARATION_SCOPE
    default:
      return false
  }
}
