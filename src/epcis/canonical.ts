/**
 * The one place where identifiers and CBV values get their canonical keys, used by capture
 * (stored keys), queries (parameter values) and, later, lineage and the resolver.
 */
export type VocabularyKind =
  | 'bizStep'
  | 'disposition'
  | 'bizTransactionType'
  | 'sourceDestType'
  | 'errorReason'
  | 'sensorMeasurementType'

export class InvalidValueError extends Error {}

/** Canonical key of an identifier (EPC, class, location, party). */
export function canonicalIdentifier(uri: string): string {
  return uri
}

/** Canonical key of a CBV or user vocabulary value. */
export function canonicalVocabulary(_kind: VocabularyKind, value: string): string {
  return value
}

/** A MATCH_* parameter value: an identifier (exact key) or an EPC pattern (SQL LIKE over keys). */
export function identifierPattern(value: string): { exact: string } | { like: string } {
  return { exact: canonicalIdentifier(value) }
}
