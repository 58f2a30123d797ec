/**
 * EPCIS master-data vocabulary types, and the type whose elements give the master data of each
 * event field (EPCIS 2.0, section 6.5 and the query parameters of section 8.2.7.1: a field's
 * master data is the element of that field's vocabulary type, never an element of another type
 * that happens to share its id).
 */
const VTYPE = 'urn:epcglobal:epcis:vtype:'

export const VOCABULARY_TYPES = {
  readPoint: `${VTYPE}ReadPoint`,
  bizLocation: `${VTYPE}BusinessLocation`,
  bizStep: `${VTYPE}BusinessStep`,
  disposition: `${VTYPE}Disposition`,
  epcClass: `${VTYPE}EPCClass`,
  sourceDest: `${VTYPE}SourceDest`,
  /** CBV 2.0 party master data (organisations named as source, destination, owner). */
  party: `${VTYPE}Party`,
} as const

/** The standard event fields whose values are vocabulary elements, with their vocabulary type. */
export const FIELD_VOCABULARY_TYPE = {
  readPoint: VOCABULARY_TYPES.readPoint,
  bizLocation: VOCABULARY_TYPES.bizLocation,
  bizStep: VOCABULARY_TYPES.bizStep,
  disposition: VOCABULARY_TYPES.disposition,
} as const

/** The types whose elements may describe a source or destination (CBV 1.x SourceDest, CBV 2.0 Party). */
export const SOURCE_DEST_TYPES: readonly string[] = [VOCABULARY_TYPES.sourceDest, VOCABULARY_TYPES.party]

/** The type whose elements describe a product class, lot or the class of a serial. */
export const PRODUCT_TYPES: readonly string[] = [VOCABULARY_TYPES.epcClass]
