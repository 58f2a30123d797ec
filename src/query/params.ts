import { IdentifierRole } from '../db/tables/event-identifier.js'
import { canonicalIdentifier, canonicalVocabulary, identifierPattern } from '../epcis/canonical.js'
import { EVENT_TYPES } from '../epcis/document.js'
import type { PatternLevel } from '../identifiers/index.js'
import { ERRORS } from '../errors.js'
import type { EqualsColumn, Filter, ParsedQuery, TimeColumn } from './filters.js'

export type RawQuery = Record<string, string | string[] | undefined>

interface ParamContext {
  name: string
  values: string[]
}

type ParamParser = (param: ParamContext) => Filter

const ROLES = {
  MATCH_epc: [IdentifierRole.epc, IdentifierRole.child],
  MATCH_anyEPC: [IdentifierRole.epc, IdentifierRole.parent, IdentifierRole.child, IdentifierRole.input, IdentifierRole.output],
  MATCH_epcClass: [IdentifierRole.quantity, IdentifierRole.childQuantity],
  MATCH_anyEPCClass: [
    IdentifierRole.quantity,
    IdentifierRole.childQuantity,
    IdentifierRole.inputQuantity,
    IdentifierRole.outputQuantity,
  ],
} as const

const ACTIONS = new Set(['ADD', 'OBSERVE', 'DELETE'])
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

function badValue(name: string, value: string, why: string): Error {
  return ERRORS.queryParameter(`${name}: '${value}' ${why}`)
}

function time(column: TimeColumn, op: '>=' | '<'): ParamParser {
  return ({ name, values }) => {
    if (values.length !== 1) throw ERRORS.queryParameter(`${name} takes exactly one time`)
    const value = values[0]!
    if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
      throw badValue(name, value, 'is not a date-time with a time zone (e.g. 2024-05-01T08:00:00.000+07:00)')
    }
    return { kind: 'time', column, op, value }
  }
}

function equals(column: EqualsColumn, canonical: (value: string, name: string) => string = (v) => v): ParamParser {
  return ({ name, values }) => ({ kind: 'equals', column, values: values.map((v) => canonical(v, name)) })
}

function uri(canonicalise: (value: string) => string) {
  return (value: string, name: string) => {
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value)) throw badValue(name, value, 'is not a URI')
    try {
      return canonicalise(value)
    } catch (error) {
      throw badValue(name, value, `is not a valid identifier: ${(error as Error).message}`)
    }
  }
}

function identifiers(roles: readonly number[], level?: PatternLevel): ParamParser {
  return ({ name, values }) => {
    const exact: string[] = []
    const like: string[] = []
    for (const value of values) {
      let pattern: { exact: string } | { like: string }
      try {
        pattern = identifierPattern(value, level)
      } catch (error) {
        throw badValue(name, value, `is not a valid identifier or pattern: ${(error as Error).message}`)
      }
      if ('exact' in pattern) exact.push(pattern.exact)
      else like.push(pattern.like)
    }
    return { kind: 'identifier', roles: [...roles], exact, like }
  }
}

const vocabulary = (kind: 'bizStep' | 'disposition' | 'errorReason') => (value: string) => canonicalVocabulary(kind, value)

const PARSERS: Record<string, ParamParser> = {
  eventType: ({ name, values }) => {
    for (const value of values) {
      if (!(EVENT_TYPES as readonly string[]).includes(value) && !value.includes(':')) {
        throw badValue(name, value, `is not an event type (${EVENT_TYPES.join(', ')} or an extension type URI)`)
      }
    }
    return { kind: 'eventType', values }
  },
  GE_eventTime: time('event_time', '>='),
  LT_eventTime: time('event_time', '<'),
  GE_recordTime: time('record_time', '>='),
  LT_recordTime: time('record_time', '<'),
  EQ_action: ({ name, values }) => {
    for (const value of values) if (!ACTIONS.has(value)) throw badValue(name, value, 'is not ADD, OBSERVE or DELETE')
    return { kind: 'equals', column: 'action', values }
  },
  EQ_bizStep: equals('biz_step', vocabulary('bizStep')),
  EQ_disposition: equals('disposition', vocabulary('disposition')),
  EQ_readPoint: equals('read_point', uri(canonicalIdentifier)),
  EQ_bizLocation: equals('biz_location', uri(canonicalIdentifier)),
  EQ_eventID: equals('event_id'),
  EXISTS_errorDeclaration: ({ name, values }) => {
    if (values.length !== 1 || !['', 'true'].includes(values[0]!.toLowerCase())) {
      throw ERRORS.queryParameter(`${name} takes no value (or 'true')`)
    }
    return { kind: 'exists', column: 'error_declaration_time' }
  },
  GE_errorDeclarationTime: time('error_declaration_time', '>='),
  LT_errorDeclarationTime: time('error_declaration_time', '<'),
  GE_errorDeclaration_Time: time('error_declaration_time', '>='),
  LT_errorDeclaration_Time: time('error_declaration_time', '<'),
  EQ_errorReason: equals('error_reason', vocabulary('errorReason')),
  EQ_correctiveEventID: ({ values }) => ({ kind: 'correctiveEventId', values }),
  MATCH_epc: identifiers(ROLES.MATCH_epc, 'instance'),
  MATCH_anyEPC: identifiers(ROLES.MATCH_anyEPC, 'instance'),
  MATCH_epcClass: identifiers(ROLES.MATCH_epcClass),
  MATCH_anyEPCClass: identifiers(ROLES.MATCH_anyEPCClass),
}

/** The query parameters this repository understands, for documentation and discovery. */
export const QUERY_PARAMETER_NAMES = Object.keys(PARSERS)

/** Several occurrences of one parameter and pipe-separated lists both mean "any of these". */
function valuesOf(raw: string | string[]): string[] {
  return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split('|')).map((v) => v.trim())
}

export interface PagingLimits {
  defaultPerPage: number
  maxPerPage: number
}

export function parseQuery(raw: RawQuery, limits: PagingLimits): ParsedQuery {
  const filters: Filter[] = []
  const signatureParts: string[] = []
  let perPage = limits.defaultPerPage
  let nextPageToken: string | undefined
  for (const name of Object.keys(raw).sort()) {
    const given = raw[name]
    if (given === undefined) continue
    if (name === 'perPage') {
      const value = Array.isArray(given) ? given.join('|') : given
      if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw badValue(name, value, 'is not a positive integer')
      if (Number(value) > limits.maxPerPage) throw ERRORS.queryParameter(`perPage: at most ${limits.maxPerPage}`)
      perPage = Number(value)
      continue
    }
    if (name === 'nextPageToken') {
      if (Array.isArray(given)) throw ERRORS.queryParameter('nextPageToken may be given once')
      nextPageToken = given
      continue
    }
    const parser = PARSERS[name]
    if (!parser) throw ERRORS.queryParameter(`Unknown query parameter '${name}'`)
    const values = valuesOf(given)
    if (values.some((v) => v === '') && !name.startsWith('EXISTS_')) throw ERRORS.queryParameter(`${name}: empty value`)
    filters.push(parser({ name, values }))
    signatureParts.push(`${name}=${values.join('|')}`)
  }
  return { filters, perPage, nextPageToken, signature: signatureParts.join('&') }
}
