/** The query parameters with fixed names (EPCIS 2.0 section 8.2.7.1), one parser each. */
import { IdentifierRole } from '../db/tables/event-identifier.js'
import { canonicalIdentifier, identifierPattern } from '../epcis/canonical.js'
import { EVENT_TYPES } from '../epcis/document.js'
import { FIELD_VOCABULARY_TYPE } from '../epcis/vocabulary-types.js'
import type { PatternLevel } from '../identifiers/index.js'
import type { EqualsColumn, Filter, SensorTest, SensorTextColumn, SensorTimeColumn, TimeColumn } from './filters.js'
import {
  badValue,
  booleanValue,
  comparedNumbers,
  COMPARISONS,
  existsFlag,
  single,
  timeValue,
  uriValue,
  type Param,
} from './param-values.js'
import { hexKey, uriKey, vocabularyKey } from './values.js'
import { PUBLICATION_STATES, type PublicationState } from '../db/tables/event-publication.js'
import { PROVENANCE_PARAMETERS } from '../federation/query.js'

/** What one parameter contributes: a filter, a test on the sensor report, or nothing (EXISTS_...=false). */
export type ParamResult = { filter: Filter } | { sensor: SensorTest } | undefined
export type ParamParser = (param: Param) => ParamResult

const ROLES = {
  epc: [IdentifierRole.epc, IdentifierRole.child],
  parentID: [IdentifierRole.parent],
  inputEPC: [IdentifierRole.input],
  outputEPC: [IdentifierRole.output],
  anyEPC: [IdentifierRole.epc, IdentifierRole.parent, IdentifierRole.child, IdentifierRole.input, IdentifierRole.output],
  epcClass: [IdentifierRole.quantity, IdentifierRole.childQuantity],
  inputEPCClass: [IdentifierRole.inputQuantity],
  outputEPCClass: [IdentifierRole.outputQuantity],
  anyEPCClass: [
    IdentifierRole.quantity,
    IdentifierRole.childQuantity,
    IdentifierRole.inputQuantity,
    IdentifierRole.outputQuantity,
  ],
} as const

const ACTIONS = new Set(['ADD', 'OBSERVE', 'DELETE'])

const filter = (f: Filter): ParamResult => ({ filter: f })
const sensor = (test: SensorTest): ParamResult => ({ sensor: test })

function time(column: TimeColumn, op: '>=' | '<'): ParamParser {
  return (param) => filter({ kind: 'time', column, op, value: timeValue(param.name, single(param, 'date-time')) })
}

/** A GS1 identifier (EPC URN or Digital Link, any host) or any other URI, as its canonical key; 400 if it claims GS1 but is invalid. */
export function identifierKey(name: string, value: string): string {
  uriValue(name, value)
  try {
    return canonicalIdentifier(value)
  } catch (error) {
    throw badValue(name, value, `is not a valid identifier: ${(error as Error).message}`)
  }
}

function equals(column: EqualsColumn, key: (name: string, value: string) => string = (_n, v) => v): ParamParser {
  return ({ name, values }) => filter({ kind: 'equals', column, values: values.map((v) => key(name, v)) })
}

const vocabulary =
  (kind: 'bizStep' | 'disposition' | 'errorReason') =>
  (_name: string, value: string): string =>
    vocabularyKey(kind, value)

function identifiers(roles: readonly number[], level: PatternLevel): ParamParser {
  return ({ name, values }) => {
    const exact: string[] = []
    const like: string[] = []
    for (const value of values) {
      let pattern: { exact: string } | { like: string }
      try {
        pattern = identifierPattern(uriValue(name, value), level)
      } catch (error) {
        throw badValue(name, value, `is not a valid identifier or pattern: ${(error as Error).message}`)
      }
      if ('exact' in pattern) exact.push(pattern.exact)
      else like.push(pattern.like)
    }
    return filter({ kind: 'identifier', roles: [...roles], exact, like })
  }
}

function quantity(op: string): ParamParser {
  const comparison = COMPARISONS[op]!
  return (param) => filter({ kind: 'quantity', op: comparison, values: comparedNumbers(param, comparison), uom: null })
}

function sensorTime(column: SensorTimeColumn, op: '>=' | '<'): ParamParser {
  return (param) => sensor({ kind: 'time', column, op, value: timeValue(param.name, single(param, 'date-time')) })
}

function sensorText(column: SensorTextColumn, key: (name: string, value: string) => string): ParamParser {
  return ({ name, values }) => sensor({ kind: 'equals', column, values: values.map((v) => key(name, v)) })
}

const sensorUri = (name: string, value: string) => uriKey(uriValue(name, value))

function percRank(op: string): ParamParser {
  const comparison = COMPARISONS[op]!
  return (param) => sensor({ kind: 'percRank', op: comparison, values: comparedNumbers(param, comparison) })
}

export const FIXED_PARAMETERS: Record<string, ParamParser> = {
  eventType: ({ name, values }) => {
    for (const value of values) {
      if (!(EVENT_TYPES as readonly string[]).includes(value) && !/^[a-zA-Z][\w+.-]*:\S+$/.test(value)) {
        throw badValue(name, value, `is not an event type (${EVENT_TYPES.join(', ')} or an extension type URI)`)
      }
    }
    return filter({ kind: 'eventType', values })
  },
  GE_eventTime: time('event_time', '>='),
  LT_eventTime: time('event_time', '<'),
  GE_recordTime: time('record_time', '>='),
  LT_recordTime: time('record_time', '<'),
  EQ_action: ({ name, values }) => {
    for (const value of values) if (!ACTIONS.has(value)) throw badValue(name, value, 'is not ADD, OBSERVE or DELETE')
    return filter({ kind: 'equals', column: 'action', values })
  },
  EQ_bizStep: equals('biz_step', vocabulary('bizStep')),
  EQ_disposition: equals('disposition', vocabulary('disposition')),
  EQ_persistentDisposition_set: ({ values }) =>
    filter({ kind: 'persistentDisposition', unset: false, values: values.map((v) => vocabularyKey('disposition', v)) }),
  EQ_persistentDisposition_unset: ({ values }) =>
    filter({ kind: 'persistentDisposition', unset: true, values: values.map((v) => vocabularyKey('disposition', v)) }),
  EQ_readPoint: equals('read_point', identifierKey),
  EQ_bizLocation: equals('biz_location', identifierKey),
  WD_readPoint: ({ name, values }) =>
    filter({ kind: 'descendants', column: 'read_point', vocabularyType: FIELD_VOCABULARY_TYPE.readPoint, values: values.map((v) => identifierKey(name, v)) }),
  WD_bizLocation: ({ name, values }) =>
    filter({ kind: 'descendants', column: 'biz_location', vocabularyType: FIELD_VOCABULARY_TYPE.bizLocation, values: values.map((v) => identifierKey(name, v)) }),
  EQ_transformationID: equals('transformation_id', (name, value) => uriValue(name, value)),
  EQ_eventID: equals('event_id'),
  MATCH_epc: identifiers(ROLES.epc, 'instance'),
  MATCH_parentID: identifiers(ROLES.parentID, 'instance'),
  MATCH_inputEPC: identifiers(ROLES.inputEPC, 'instance'),
  MATCH_outputEPC: identifiers(ROLES.outputEPC, 'instance'),
  MATCH_anyEPC: identifiers(ROLES.anyEPC, 'instance'),
  MATCH_epcClass: identifiers(ROLES.epcClass, 'class'),
  MATCH_inputEPCClass: identifiers(ROLES.inputEPCClass, 'class'),
  MATCH_outputEPCClass: identifiers(ROLES.outputEPCClass, 'class'),
  MATCH_anyEPCClass: identifiers(ROLES.anyEPCClass, 'class'),
  EQ_quantity: quantity('EQ'),
  GT_quantity: quantity('GT'),
  GE_quantity: quantity('GE'),
  LT_quantity: quantity('LT'),
  LE_quantity: quantity('LE'),
  EXISTS_errorDeclaration: (param) =>
    existsFlag(param) ? filter({ kind: 'exists', column: 'error_declaration_time' }) : undefined,
  GE_errorDeclarationTime: time('error_declaration_time', '>='),
  LT_errorDeclarationTime: time('error_declaration_time', '<'),
  GE_errorDeclaration_Time: time('error_declaration_time', '>='),
  LT_errorDeclaration_Time: time('error_declaration_time', '<'),
  EQ_errorReason: equals('error_reason', vocabulary('errorReason')),
  EQ_correctiveEventID: ({ values }) => filter({ kind: 'correctiveEventId', values }),
  EXISTS_sensorElementList: (param) => (existsFlag(param) ? sensor({ kind: 'exists' }) : undefined),
  GE_time: sensorTime('time', '>='),
  LT_time: sensorTime('time', '<'),
  GE_startTime: sensorTime('start_time', '>='),
  LT_startTime: sensorTime('start_time', '<'),
  GE_endTime: sensorTime('end_time', '>='),
  LT_endTime: sensorTime('end_time', '<'),
  EQ_type: sensorText('type', (_name, value) => vocabularyKey('measurementType', value)),
  EQ_deviceID: sensorText('device_id', sensorUri),
  EQ_dataProcessingMethod: sensorText('data_processing_method', sensorUri),
  EQ_microorganism: sensorText('microorganism', sensorUri),
  EQ_chemicalSubstance: sensorText('chemical_substance', sensorUri),
  EQ_bizRules: sensorText('biz_rules', sensorUri),
  EQ_stringValue: sensorText('string_value', (_name, value) => value),
  EQ_hexBinaryValue: sensorText('hex_binary_value', (name, value) => {
    if (!/^([0-9a-fA-F]{2})+$/.test(value)) throw badValue(name, value, 'is not hexBinary (pairs of hex digits)')
    return hexKey(value)
  }),
  EQ_uriValue: sensorText('uri_value', sensorUri),
  EQ_booleanValue: (param) => sensor({ kind: 'boolean', value: booleanValue(param.name, single(param, 'boolean')) }),
  EQ_publicationState: ({ name, values }) => {
    for (const value of values) {
      if (!(PUBLICATION_STATES as readonly string[]).includes(value)) throw badValue(name, value, 'is not published, held or rejected')
    }
    return filter({ kind: 'publicationState', states: [...new Set(values)] as PublicationState[] })
  },
  EQ_percRank: percRank('EQ'),
  GT_percRank: percRank('GT'),
  GE_percRank: percRank('GE'),
  LT_percRank: percRank('LT'),
  LE_percRank: percRank('LE'),
  ...PROVENANCE_PARAMETERS,
}
