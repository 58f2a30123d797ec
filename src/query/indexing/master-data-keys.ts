import { uriKey, vocabularyKey } from '../values.js'

const VTYPE = 'urn:epcglobal:epcis:vtype:'

/** The vocabulary types whose element ids are CBV values rather than identifiers. */
const VOCABULARY_OF_TYPE = {
  [`${VTYPE}BusinessStep`]: 'bizStep',
  [`${VTYPE}Disposition`]: 'disposition',
  [`${VTYPE}BusinessTransactionType`]: 'bizTransactionType',
  [`${VTYPE}SourceDestType`]: 'sourceDestType',
} as const

/**
 * The canonical key of a master-data element id, spelled as the events' keys are: a CBV value's
 * Web URI for the CBV vocabulary types, else the canonical identifier (a location's Digital Link).
 */
export function masterDataKey(vocabularyType: string, elementId: string): string {
  const kind = Object.hasOwn(VOCABULARY_OF_TYPE, vocabularyType)
    ? VOCABULARY_OF_TYPE[vocabularyType as keyof typeof VOCABULARY_OF_TYPE]
    : undefined
  return kind ? vocabularyKey(kind, elementId) : uriKey(elementId)
}
