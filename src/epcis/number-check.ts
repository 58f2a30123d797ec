import type { ProblemItem } from '../errors.js'
import { isExactNumber, numberProblem } from './exact-number.js'

/** What a parsed JSON value holds of exact numbers: whether any, and where those that cannot be kept are. */
export interface NumberScan {
  exact: boolean
  /** One item per number refused (beyond a double's range, too many digits), with its JSON pointer. */
  refused: ProblemItem[]
}

const MAX_REFUSED = 100

/** Walks a parsed JSON value (bounded in depth by the body parser) for its exact numbers. */
export function scanNumbers(value: unknown, pointer = ''): NumberScan {
  const scan: NumberScan = { exact: false, refused: [] }
  visit(value, pointer, scan)
  return scan
}

function visit(value: unknown, pointer: string, scan: NumberScan): void {
  if (value === null || typeof value !== 'object') return
  if (isExactNumber(value)) {
    scan.exact = true
    const problem = numberProblem(value)
    if (problem !== undefined && scan.refused.length < MAX_REFUSED) scan.refused.push({ pointer: pointer || '/', message: problem })
    return
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) visit(value[i], `${pointer}/${i}`, scan)
    return
  }
  for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], `${pointer}/${escapePointer(key)}`, scan)
}

function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key
}

/**
 * A copy in which every exact number is the nearest double: what the JSON Schema validator checks (it knows
 * numbers only as JavaScript numbers). Only the copy is validated; the value itself keeps its exact numbers.
 */
export function withDoubles(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (isExactNumber(value)) return Number(value.rawJSON)
  if (Array.isArray(value)) return value.map(withDoubles)
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) copy[key] = withDoubles((value as Record<string, unknown>)[key])
  return copy
}
