import { ERRORS } from '../errors.js'
import {
  aiDefinition,
  canonicalIdentifier,
  CANONICAL_DL_ORIGIN,
  identifierKind,
  IdentifierError,
  parseDigitalLink,
  type AiElement,
  type IdentifierKind,
  type ParsedDigitalLink,
} from '../identifiers/index.js'
import { encodeDigitalLinkValue } from '../identifiers/percent-encoding.js'

/** One level of a Digital Link's key: the primary key with the first n key qualifiers. */
export interface KeyLevel {
  /** Canonical Digital Link path of this level, e.g. /01/09506000134352/10/ABC (what links are registered under). */
  readonly path: string
  readonly elements: readonly AiElement[]
  /** The canonical identifier capture stores for it (https://id.gs1.org/..., identity-reduced). */
  readonly key: string
  readonly kind: IdentifierKind
}

export function keyPath(elements: readonly AiElement[]): string {
  return elements.map(({ ai, value }) => `/${ai}/${encodeDigitalLinkValue(value)}`).join('')
}

/**
 * Parses a resolver request (path and query) or a link-administration path as a GS1 Digital Link,
 * tolerating a trailing slash and short GTINs; anything else is a 400 problem.
 */
export function parseKeyPath(pathAndQuery: string): ParsedDigitalLink {
  let parsed: ParsedDigitalLink | undefined
  try {
    parsed = parseDigitalLink(pathAndQuery, { lenient: true })
  } catch (error) {
    if (error instanceof IdentifierError) throw ERRORS.validation(error.message)
    throw error
  }
  const path = pathAndQuery.split('?')[0]
  if (!parsed) throw ERRORS.validation(`"${path}" is not a GS1 Digital Link: it needs a GS1 primary key and its value`)
  if (parsed.pathPrefix !== '') {
    throw ERRORS.validation(`Invalid GS1 Digital Link "${path}": "${parsed.pathPrefix}" is not a key qualifier of the primary key`)
  }
  return parsed
}

/** The levels of a key, most granular first: /01/g/10/l/21/s, /01/g/10/l, /01/g. */
export function keyLevels(parsed: Pick<ParsedDigitalLink, 'primaryKey' | 'qualifiers'>): KeyLevel[] {
  const all = [parsed.primaryKey, ...parsed.qualifiers]
  const levels: KeyLevel[] = []
  for (let length = all.length; length >= 1; length--) {
    const elements = all.slice(0, length)
    const path = keyPath(elements)
    const key = canonicalIdentifier(`${CANONICAL_DL_ORIGIN}${path}`)
    levels.push({ path, elements, key, kind: identifierKind(key) })
  }
  return levels
}

/** "GTIN 09506000134352, BATCH/LOT ABC": a description for a key nobody described. */
export function describeElements(elements: readonly AiElement[]): string {
  return elements.map(({ ai, value }) => `${aiDefinition(ai)?.title ?? `(${ai})`} ${value}`).join(', ')
}
