// GS1 identifiers: EPC URNs and GS1 Digital Link URIs, validated against the GS1 Barcode Syntax
// Dictionary and reduced to one canonical key (the canonical id.gs1.org Digital Link).
export {
  canonicalIdentifier,
  eventHashIdentifier,
  identifierKey,
  identifierKind,
  lotOfSerial,
  toDigitalLink,
  toEpcUrn,
  validateIdentifier,
  type CompanyPrefixLength,
  type IdentifierKey,
} from './canonical-identifier.js';
export { identifierPattern, escapeLike, type IdentifierPatternMatch, type PatternLevel } from './identifier-pattern.js';
export { parseDigitalLink, type DigitalLinkOptions, type DigitalLinkParameter, type ParsedDigitalLink } from './digital-link.js';
export { IdentifierError } from './errors.js';
export { decompressDigitalLinkPath } from './dl-decompression.js';
export { aiValueError } from './ai-values.js';
export { aiDefinition, describeAi, type AiDefinition } from './ai-table.js';
export { gs1CheckDigit, hasValidGs1CheckDigit } from './check-digits.js';
export { CANONICAL_DL_ORIGIN, type AiElement, type IdentifierKind } from './gs1-key.js';
export { companyPrefixOf, companyPrefixCandidates, COMPANY_PREFIX_LENGTHS } from './company-prefix.js';
