import { ERRORS, type ProblemItem } from '../errors.js'
import type { ElementRef } from './repository.js'
import { scanNumbers } from '../epcis/number-check.js'
import { overlongIndexedValue } from '../epcis/storable.js'

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/

function decodeSegment(text: string, what: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw ERRORS.validation(`The ${what} in the path is not percent-encoded correctly`)
  }
}

/**
 * The element of PUT /vocabularies/{type}/{id}: the first segment after /vocabularies is the
 * vocabulary type, the rest the element id (percent-encoded, or with literal slashes for ids such as
 * https://id.gs1.org/414/...).
 */
export function elementOfPath(path: string): ElementRef {
  const rest = path.replace(/^\/vocabularies\//, '')
  const slash = rest.indexOf('/')
  if (slash <= 0 || slash === rest.length - 1) throw ERRORS.validation('The path must be /vocabularies/{type}/{id}')
  const type = decodeSegment(rest.slice(0, slash), 'vocabulary type')
  const id = decodeSegment(rest.slice(slash + 1), 'element id')
  const errors: ProblemItem[] = []
  if (!URI.test(type)) errors.push({ pointer: 'type', message: `"${type}" is not a URI` })
  if (!URI.test(id) || id.length > 2048) errors.push({ pointer: 'id', message: `"${id}" is not a URI of at most 2048 characters` })
  const overlong = overlongIndexedValue([['the vocabulary type', type], ['the element id', id]])
  if (overlong) errors.push({ pointer: 'id', message: overlong })
  if (errors.length) throw ERRORS.validation('Invalid vocabulary element', errors)
  return { type, id }
}

function languageErrors(value: unknown, pointer: string, errors: ProblemItem[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => languageErrors(item, `${pointer}/${i}`, errors))
    return
  }
  if (typeof value !== 'object' || value === null || !('@value' in value)) return
  const language = (value as Record<string, unknown>)['@language']
  if (language !== undefined && (typeof language !== 'string' || !LANGUAGE_TAG.test(language))) {
    errors.push({ pointer: `${pointer}/@language`, message: 'must be a language tag such as vi or en' })
  }
}

/** Language-tagged texts ({"@value", "@language"}) must carry a real language tag. */
export function checkAttributes(attributes: ReadonlyArray<{ id: string; attribute?: unknown }>): void {
  const errors: ProblemItem[] = []
  attributes.forEach((a, i) => {
    if (!URI.test(a.id)) errors.push({ pointer: `/attributes/${i}/id`, message: 'must be a URI, e.g. urn:epcglobal:cbv:mda#name' })
    languageErrors(a.attribute, `/attributes/${i}/attribute`, errors)
    errors.push(...scanNumbers(a.attribute, `/attributes/${i}/attribute`).refused)
  })
  if (errors.length) throw ERRORS.validation('Invalid master data attributes', errors)
}
