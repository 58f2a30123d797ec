/** A parsed EPCIS query: a list of typed filters, AND'ed; the values inside one filter are OR'ed. */
export type Filter =
  | { kind: 'eventType'; values: string[] }
  | { kind: 'time'; column: TimeColumn; op: '>=' | '<'; value: string }
  | { kind: 'equals'; column: EqualsColumn; values: string[] }
  | { kind: 'exists'; column: 'error_declaration_time' }
  | { kind: 'correctiveEventId'; values: string[] }
  | { kind: 'identifier'; roles: number[]; exact: string[]; like: string[] }

export type EqualsColumn =
  | 'action'
  | 'biz_step'
  | 'disposition'
  | 'read_point'
  | 'biz_location'
  | 'event_id'
  | 'error_reason'

export type TimeColumn = 'event_time' | 'record_time' | 'error_declaration_time'

export interface ParsedQuery {
  filters: Filter[]
  perPage: number
  nextPageToken: string | undefined
  /** Stable text of the filters: page tokens are bound to it. */
  signature: string
}
