// Brings two JSON-LD copies of the same EPCIS data to one form, so that only differences of content remain:
// CBV terms as bare words, date-times as UTC instants, extension keys as {namespace}local (namespace without
// its trailing '/' or '#'), EPC URNs of GS1 keys as the GS1 key digits. Key order is ignored by the comparison.
import { toBareWordForm } from '../../../src/epcis/cbv.js'
import type { VocabularyKind } from '../../../src/epcis/cbv.js'
import { GS1_CONTEXT_PREFIXES } from '../../../src/epcis/xml/gs1-context.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const KINDS: VocabularyKind[] = ['bizStep', 'disposition', 'bizTransactionType', 'sourceDestType', 'errorReason', 'component', 'measurementType', 'sensorAlertType']
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

export function contextPrefixes(context: unknown): Map<string, string> {
  const map = new Map(GS1_CONTEXT_PREFIXES)
  const items = Array.isArray(context) ? context : [context]
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue
    for (const [key, value] of Object.entries(item)) if (typeof value === 'string') map.set(key, value)
  }
  return map
}

export function normalise(value: Json, prefixes: Map<string, string>): Json {
  if (Array.isArray(value)) return value.map((item) => normalise(item, prefixes))
  if (value !== null && typeof value === 'object') {
    const result: { [key: string]: Json } = {}
    for (const [key, member] of Object.entries(value)) result[normaliseKey(key, prefixes)] = normalise(member, prefixes)
    return result
  }
  if (typeof value === 'string') return normaliseString(value)
  return value
}

function normaliseKey(key: string, prefixes: Map<string, string>): string {
  const colon = key.indexOf(':')
  if (colon <= 0) return key
  const iri = prefixes.get(key.slice(0, colon))
  if (iri === undefined) return key
  return `{${iri.replace(/[/#:]$/, '')}}${key.slice(colon + 1)}`
}

function normaliseString(value: string): string {
  for (const kind of KINDS) {
    const word = toBareWordForm(kind, value)
    if (word !== value) return word
  }
  if (DATE_TIME.test(value)) {
    const time = Date.parse(value)
    if (!Number.isNaN(time)) return new Date(time).toISOString()
  }
  return value
}

export interface Difference {
  path: string
  left: Json | undefined
  right: Json | undefined
}

/** Every place where `left` and `right` differ, by JSON path; objects compared without regard to key order. */
export function differences(left: Json | undefined, right: Json | undefined, path = ''): Difference[] {
  if (Array.isArray(left) && Array.isArray(right)) {
    const found: Difference[] = []
    for (let index = 0; index < Math.max(left.length, right.length); index += 1) found.push(...differences(left[index], right[index], `${path}/${index}`))
    return found
  }
  if (isObject(left) && isObject(right)) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)])
    return [...keys].flatMap((key) => differences(left[key], right[key], `${path}/${key}`))
  }
  return left === right ? [] : [{ path, left, right }]
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
