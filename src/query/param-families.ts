/**
 * The query parameters whose names carry a value (EPCIS 2.0 section 8.2.7.1): a business
 * transaction or source/destination type, a unit of measure, an extension field name, a
 * master-data attribute. Each family is one pattern and one parser.
 */
import { FieldScope } from '../db/tables/event-field.js'
import { LinkKind } from '../db/tables/event-link.js'
import { ERRORS } from '../errors.js'
import { FIELD_VOCABULARY_TYPE } from '../epcis/vocabulary-types.js'
import type { Comparison, MasterDataTarget, SensorMeasureColumn } from './filters.js'
import { prefixOf } from './namespaces.js'
import { identifierKey, type ParamResult } from './param-table.js'
import { comparedNumbers, COMPARISONS, fieldNames, uomCode, valueTest, type Param } from './param-values.js'
import { uriKey, vocabularyKey } from './values.js'

interface Family {
  pattern: RegExp
  parse(param: Param, match: RegExpExecArray): ParamResult
}

const OPS = '(EQ|GT|GE|LT|LE)'
const OPS_AND_EXISTS = '(EQ|GT|GE|LT|LE|EXISTS)'

const MEASURES: Record<string, SensorMeasureColumn> = {
  value: 'value',
  minValue: 'min_value',
  maxValue: 'max_value',
  meanValue: 'mean_value',
  sDev: 's_dev',
  percValue: 'perc_value',
}

const SCOPES: Record<string, number> = {
  '': FieldScope.event,
  ILMD_: FieldScope.ilmd,
  ERROR_DECLARATION_: FieldScope.errorDeclaration,
  readPoint_: FieldScope.readPoint,
  bizLocation_: FieldScope.bizLocation,
  SENSORELEMENT_: FieldScope.sensorElement,
  SENSORMETADATA_: FieldScope.sensorMetadata,
  SENSORREPORT_: FieldScope.sensorReport,
}

const SENSOR_SCOPES = new Set<number>([FieldScope.sensorElement, FieldScope.sensorMetadata, FieldScope.sensorReport])

const MASTER_DATA_COLUMNS: Record<string, MasterDataTarget> = {
  readPoint: { kind: 'column', column: 'read_point', vocabularyType: FIELD_VOCABULARY_TYPE.readPoint },
  bizLocation: { kind: 'column', column: 'biz_location', vocabularyType: FIELD_VOCABULARY_TYPE.bizLocation },
  bizStep: { kind: 'column', column: 'biz_step', vocabularyType: FIELD_VOCABULARY_TYPE.bizStep },
  disposition: { kind: 'column', column: 'disposition', vocabularyType: FIELD_VOCABULARY_TYPE.disposition },
}

/** CBV master-data attributes are written `urn:epcglobal:cbv:mda#x` (CBV 1.x), `urn:epcglobal:cbv:mda:x` or `cbvmda:x`. */
const CBV_MDA = /^(?:urn:epcglobal:cbv:mda[#:]|cbvmda:)(.+)$/

/** Every spelling a master-data attribute name may have been captured with. */
function attributeSpellings(param: Param, name: string): string[] {
  const spellings = new Set([name])
  const prefix = prefixOf(name)
  if (prefix !== undefined) {
    for (const iri of param.namespaces.get(prefix) ?? []) spellings.add(`${iri}${name.slice(prefix.length + 1)}`)
  }
  for (const spelling of [...spellings]) {
    const local = CBV_MDA.exec(spelling)?.[1] ?? (spelling.includes(':') ? undefined : spelling)
    if (local !== undefined) {
      for (const form of [`urn:epcglobal:cbv:mda#${local}`, `urn:epcglobal:cbv:mda:${local}`, `cbvmda:${local}`]) {
        spellings.add(form)
      }
    }
  }
  return [...spellings]
}

function masterDataTarget(param: Param, field: string): MasterDataTarget {
  return Object.hasOwn(MASTER_DATA_COLUMNS, field) ? MASTER_DATA_COLUMNS[field]! : { kind: 'field', names: fieldNames(param, field) }
}

/** EQ_ATTR_<field>_<attr>: a standard field name, or `prefix:name` up to the first '_' after its ':'. */
function splitAttributeParameter(param: Param, rest: string): [string, string] {
  const standard = /^(readPoint|bizLocation|bizStep|disposition)_(.+)$/.exec(rest)
  const extension = standard ?? /^([^:_]+:[^_]+)_(.+)$/.exec(rest)
  if (!extension) throw ERRORS.queryParameter(`${param.name}: expected EQ_ATTR_<fieldname>_<attribute name>`)
  return [extension[1]!, extension[2]!]
}

/** The business transaction value as given (rows captured before keys were stored) and as its identifier key. */
function transactionSpellings(value: string): string[] {
  return [...new Set([value, uriKey(value)])]
}

export const PARAMETER_FAMILIES: Family[] = [
  {
    pattern: /^EQ_(bizTransaction|source|destination)_(.+)$/,
    parse: (param, [, list, type]) => {
      const link = list === 'bizTransaction' ? LinkKind.bizTransaction : list === 'source' ? LinkKind.source : LinkKind.destination
      const typeKey = vocabularyKey(list === 'bizTransaction' ? 'bizTransactionType' : 'sourceDestType', type!)
      const values =
        link === LinkKind.bizTransaction
          ? param.values.flatMap(transactionSpellings)
          : param.values.map((v) => identifierKey(param.name, v))
      return { filter: { kind: 'link', link, type: typeKey, values } }
    },
  },
  {
    pattern: new RegExp(`^${OPS}_quantity_(.+)$`),
    parse: (param, [, op, uom]) => {
      const comparison = COMPARISONS[op!]!
      return {
        filter: { kind: 'quantity', op: comparison, values: comparedNumbers(param, comparison), uom: uomCode(param.name, uom!) },
      }
    },
  },
  {
    pattern: new RegExp(`^${OPS}_(value|minValue|maxValue|meanValue|sDev|percValue)_(.+)$`),
    parse: (param, [, op, measure, uom]) => {
      const comparison: Comparison = COMPARISONS[op!]!
      const values = comparedNumbers(param, comparison)
      return { sensor: { kind: 'measure', column: MEASURES[measure!]!, op: comparison, values, uom: uomCode(param.name, uom!) } }
    },
  },
  {
    pattern: /^HASATTR_(.+)$/,
    parse: (param, [, field]) => ({
      filter: {
        kind: 'masterData',
        target: masterDataTarget(param, field!),
        attributes: param.values.flatMap((name) => attributeSpellings(param, name)),
        values: null,
      },
    }),
  },
  {
    pattern: /^EQ_ATTR_(.+)$/,
    parse: (param, [, rest]) => {
      const [field, attribute] = splitAttributeParameter(param, rest!)
      return {
        filter: {
          kind: 'masterData',
          target: masterDataTarget(param, field),
          attributes: attributeSpellings(param, attribute),
          values: param.values,
        },
      }
    },
  },
  {
    pattern: new RegExp(
      `^${OPS_AND_EXISTS}_(INNER_)?(readPoint_|bizLocation_|ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_)?(.+:.+)$`,
    ),
    parse: (param, [, op, inner, scopeName, field]) => {
      const scope = SCOPES[scopeName ?? '']!
      const test = valueTest(param, op === 'EXISTS' ? 'exists' : COMPARISONS[op!]!)
      if (!test) return undefined
      const place = { scope, nested: inner !== undefined, names: fieldNames(param, field!) }
      return SENSOR_SCOPES.has(scope) ? { sensor: { kind: 'field', place, test } } : { filter: { kind: 'field', place, test } }
    },
  },
]

/** The parser for a parameter name outside the fixed ones, if it belongs to a family. */
export function familyParser(name: string): ((param: Param) => ParamResult) | undefined {
  for (const family of PARAMETER_FAMILIES) {
    const match = family.pattern.exec(name)
    if (match) return (param) => family.parse(param, match)
  }
  return undefined
}

/** The namespace prefixes a parameter uses (in its name, and for HASATTR_ in its values), to resolve before parsing. */
export function prefixesUsed(name: string, values: string[]): string[] {
  const found: string[] = []
  const add = (text: string) => {
    const prefix = prefixOf(text)
    if (prefix !== undefined) found.push(prefix)
  }
  const field = /^(?:EQ|GT|GE|LT|LE|EXISTS)_(?:INNER_)?(?:readPoint_|bizLocation_|ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_)?(.+:.+)$/.exec(name)
  if (field) add(field[1]!)
  const attribute = /^EQ_ATTR_(.+)$/.exec(name)
  if (attribute) {
    for (const part of attribute[1]!.split('_')) add(part)
  }
  if (name.startsWith('HASATTR_')) {
    add(name.slice('HASATTR_'.length))
    values.forEach(add)
  }
  if (name === 'orderBy') values.forEach(add)
  return found
}
