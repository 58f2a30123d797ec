/**
 * The one place where identifiers and CBV values get their canonical keys, used by capture
 * (stored keys), queries (parameter values), lineage and the resolver.
 */
import { canonicalVocabulary as cbvCanonical, type VocabularyKind } from './cbv.js'
import {
  canonicalIdentifier as gs1Canonical,
  identifierPattern as gs1Pattern,
  type IdentifierPatternMatch,
  type PatternLevel,
} from '../identifiers/index.js'

export type { VocabularyKind } from './cbv.js'

/**
 * Canonical key of an identifier (EPC, class, location, party): the canonical id.gs1.org Digital
 * Link for GS1 identifiers given as EPC URN or Digital Link, any other URI as given. Throws
 * IdentifierError for an invalid GS1 identifier.
 */
export function canonicalIdentifier(uri: string): string {
  return gs1Canonical(uri)
}

/** Canonical key of a CBV value (its GS1 Web URI) or of a user vocabulary value (as given). */
export function canonicalVocabulary(kind: VocabularyKind, value: string): string {
  return cbvCanonical(kind, value)
}

/** A MATCH_* parameter value: an identifier (exact key) or an EPC pattern (SQL LIKE over keys). */
export function identifierPattern(value: string, level?: PatternLevel): IdentifierPatternMatch {
  return gs1Pattern(value, level)
}
