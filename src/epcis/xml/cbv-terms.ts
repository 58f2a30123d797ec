import { vocabularyForms } from '../cbv.js'
import type { VocabularyKind } from '../cbv.js'

export type { VocabularyKind } from '../cbv.js'

/** The GS1-CBV-XML-Format values of the EPCIS 2.0 REST binding. */
export type CbvXmlFormat = 'Always_URN' | 'Always_Web_URI' | 'Never_Translates' | 'No_Preference'

/**
 * XML -> JSON-LD. The JSON-LD binding writes CBV and GS1 Web Vocabulary terms as bare words ("shipping",
 * "Temperature"); XML writes them as CBV 1.x URNs, Web URIs or CURIEs. Known terms in any of those spellings
 * become the bare word; anything else (a private URI, a term the GS1 context does not define) is kept as given.
 */
export function jsonTerm(kind: VocabularyKind, value: string): string {
  return vocabularyForms(kind, value).bareWord ?? componentUrnWord(kind, value) ?? value
}

// The CBV 2.0 ontology also names sensor components by URN (owl:sameAs urn:epcglobal:cbv:comp:x),
// a spelling src/epcis/cbv.ts does not list.
function componentUrnWord(kind: VocabularyKind, value: string): string | undefined {
  const word = kind === 'component' ? /^urn:epcglobal:cbv:comp:(.+)$/.exec(value)?.[1] : undefined
  return word === undefined ? undefined : vocabularyForms(kind, word).bareWord
}

/**
 * JSON-LD -> XML. A bare word means nothing in XML, so it always becomes a URI: the CBV 1.x URN by default
 * (the CURIE "gs1:Temperature" for vocabularies CBV 1.x did not have), the Web URI for Always_Web_URI.
 * A value stored as a URI is translated for Always_URN / Always_Web_URI only.
 */
export function xmlTerm(kind: VocabularyKind, value: string, format: CbvXmlFormat = 'Always_URN'): string {
  const forms = vocabularyForms(kind, value)
  if (forms.bareWord === undefined) return value
  if (forms.bareWord !== value && (format === 'Never_Translates' || format === 'No_Preference')) return value
  if (format === 'Always_Web_URI') return forms.webUri ?? value
  return forms.urn ?? forms.curie ?? value
}
