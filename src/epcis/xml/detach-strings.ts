import { isJsonObject, type JsonValue } from './json-value.js'

/**
 * The value with every string copied into a string of its own. Values cut out of the parsed text are
 * substrings that V8 keeps as views of the decoded chunk they came from, so a converted document would
 * otherwise hold on to the text of the whole input for as long as it lives.
 */
export function detachStrings<T extends JsonValue>(value: T): T {
  return detach(value) as T
}

function detach(value: JsonValue): JsonValue {
  // V8 makes views of substrings from 13 characters on; joining forces a flat copy that the slice then views whole.
  if (typeof value === 'string') return value.length < 13 ? value : ` ${value}`.slice(1)
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) value[index] = detach(value[index]!)
    return value
  }
  if (isJsonObject(value)) {
    for (const key of Object.keys(value)) value[key] = detach(value[key]!)
  }
  return value
}
