import { isExactNumber, type ExactNumber } from '../exact-number.js'

export type JsonValue = string | number | ExactNumber | boolean | null | JsonValue[] | JsonObject
export interface JsonObject {
  [key: string]: JsonValue
}

/** Adds `value` under `key`; a repeated key turns into an array, in document order. */
export function addRepeatable(target: JsonObject, key: string, value: JsonValue): void {
  if (!(key in target)) {
    target[key] = value
    return
  }
  const existing = target[key] as JsonValue
  if (Array.isArray(existing) && repeatedKeys.has(existing)) existing.push(value)
  else {
    const list = [existing, value]
    repeatedKeys.add(list)
    target[key] = list
  }
}

// Arrays created by repetition (as opposed to values that happen to be arrays).
const repeatedKeys = new WeakSet<JsonValue[]>()

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isExactNumber(value)
}
