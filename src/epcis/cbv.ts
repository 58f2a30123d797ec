import {
  CBV_WEB_URI_BASE,
  GS1_VOC_BASE,
  SPELLINGS,
  TERMS,
  VOCABULARY_KINDS,
  type KindSpelling,
  type VocabularyKind,
} from './cbv/terms.js'

export type { VocabularyKind } from './cbv/terms.js'
export { VOCABULARY_KINDS } from './cbv/terms.js'

/**
 * The spellings of one vocabulary value. CBV terms have a bare word (JSON-LD), a CBV 1.x URN (XML,
 * except the sensor vocabularies, which CBV 1.x did not have) and a GS1 Web URI; `curie` is the
 * compact form the EPCIS 2.0 XML binding uses for the sensor vocabularies ("gs1:Temperature").
 */
export interface VocabularyForms {
  bareWord?: string
  urn?: string
  webUri?: string
  curie?: string
}

const NO_FORMS: VocabularyForms = Object.freeze({})

/** Hosts under which the GS1 Web Vocabulary has been published; all name the same terms. */
const GS1_VOC_ALIASES = ['https://ref.gs1.org/voc/', 'http://gs1.org/voc/', 'https://www.gs1.org/voc/', 'http://www.gs1.org/voc/']

function formsFor(spelling: KindSpelling, word: string, bare: boolean): VocabularyForms {
  const forms: VocabularyForms = {
    webUri: `${spelling.base}${spelling.webPrefix}${word}`,
    curie: `${spelling.curiePrefix}:${spelling.webPrefix}${word}`,
  }
  if (bare) forms.bareWord = word
  if (spelling.urnPrefix !== undefined) forms.urn = `${spelling.urnPrefix}${word}`
  return Object.freeze(forms)
}

/** Every accepted spelling of every known term, per kind: one Map lookup per call. */
const KNOWN: ReadonlyMap<VocabularyKind, ReadonlyMap<string, VocabularyForms>> = new Map(
  VOCABULARY_KINDS.map((kind) => {
    const spelling = SPELLINGS[kind]
    const byForm = new Map<string, VocabularyForms>()
    for (const word of TERMS[kind]) {
      const forms = formsFor(spelling, word, true)
      for (const form of [forms.bareWord, forms.urn, forms.webUri, forms.curie]) if (form) byForm.set(form, forms)
      if (spelling.base === GS1_VOC_BASE) for (const alias of GS1_VOC_ALIASES) byForm.set(`${alias}${word}`, forms)
    }
    return [kind, byForm]
  }),
)

/** URN-prefixed kinds, for terms not (yet) in the context list: the URN maps to its Web URI by spelling alone. */
const URN_KINDS = VOCABULARY_KINDS.filter((kind) => SPELLINGS[kind].urnPrefix !== undefined)
const CBV_URN = 'urn:epcglobal:cbv:'

/** Spelling-only forms for a value outside the context's term list (a newer CBV term, say). */
function syntacticForms(kind: VocabularyKind, value: string): VocabularyForms {
  const own = SPELLINGS[kind]
  if (value.startsWith(CBV_URN)) {
    for (const other of URN_KINDS) {
      const spelling = SPELLINGS[other]
      if (value.startsWith(spelling.urnPrefix!) && value.length > spelling.urnPrefix!.length) {
        return formsFor(spelling, value.slice(spelling.urnPrefix!.length), false)
      }
    }
    return NO_FORMS
  }
  const ownWeb = `${own.base}${own.webPrefix}`
  if (value.startsWith(ownWeb) && value.length > ownWeb.length) return formsFor(own, value.slice(ownWeb.length), false)
  const ownCurie = `${own.curiePrefix}:${own.webPrefix}`
  if (value.startsWith(ownCurie) && value.length > ownCurie.length) return formsFor(own, value.slice(ownCurie.length), false)
  if (own.base === GS1_VOC_BASE) {
    for (const alias of GS1_VOC_ALIASES) {
      if (value.startsWith(alias) && value.length > alias.length) return formsFor(own, value.slice(alias.length), false)
    }
  }
  return NO_FORMS
}

/**
 * All spellings of `value` as a `kind` value. Known CBV / GS1 Web Vocabulary terms get every form;
 * a CBV URN or Web URI outside the term list gets its URN and Web URI by spelling alone; any other
 * value (a user-defined URI) gets none.
 */
export function vocabularyForms(kind: VocabularyKind, value: string): VocabularyForms {
  return KNOWN.get(kind)!.get(value) ?? syntacticForms(kind, value)
}

/**
 * The canonical key of a vocabulary value: the GS1 Web URI for a CBV value written as bare word,
 * CBV 1.x URN, CURIE or Web URI ("https://ref.gs1.org/cbv/BizStep-shipping",
 * "https://gs1.org/voc/Temperature"); any other value unchanged.
 */
export function canonicalVocabulary(kind: VocabularyKind, value: string): string {
  const known = KNOWN.get(kind)!.get(value)
  if (known !== undefined) return known.webUri!
  if (value.startsWith(CBV_URN) || value.startsWith('cbv:') || value.startsWith('gs1:') || value.startsWith('http')) {
    return syntacticForms(kind, value).webUri ?? value
  }
  return value
}

/**
 * A CBV 1.x URN of any kind (bizstep, disp, btt, sdt, er) as its Web URI, whatever field it sits
 * in (rule 14 of the event hash applies to every value); other values unchanged.
 */
export function canonicalCbvUrn(value: string): string {
  return value.startsWith(CBV_URN) ? (syntacticForms('bizStep', value).webUri ?? value) : value
}

/** Same as canonicalVocabulary: the form for GS1-CBV-XML-Format "Always_Web_URI". */
export const toWebUriForm = canonicalVocabulary

/**
 * The CBV 1.x URN for GS1-CBV-XML-Format "Always_URN" ("urn:epcglobal:cbv:bizstep:shipping"). The
 * sensor vocabularies have no URN; for them this gives the CURIE the EPCIS 2.0 XML binding writes
 * ("gs1:Temperature", "cbv:Comp-x"). Non-CBV values come back unchanged.
 */
export function toUrnForm(kind: VocabularyKind, value: string): string {
  const forms = vocabularyForms(kind, value)
  return forms.urn ?? (SPELLINGS[kind].urnPrefix === undefined ? forms.curie : undefined) ?? value
}

/** The bare word of a CBV term, as JSON-LD writes it ("shipping"); other values unchanged. */
export function toBareWordForm(kind: VocabularyKind, value: string): string {
  return vocabularyForms(kind, value).bareWord ?? value
}

/** The CURIE of a CBV / GS1 Web Vocabulary term ("cbv:BizStep-shipping", "gs1:Temperature"); other values unchanged. */
export function toCurieForm(kind: VocabularyKind, value: string): string {
  return vocabularyForms(kind, value).curie ?? value
}

/** Whether the value is a term of the ratified EPCIS 2.0 context for that kind, in any spelling. */
export function isKnownTerm(kind: VocabularyKind, value: string): boolean {
  return KNOWN.get(kind)!.has(value)
}

export { CBV_WEB_URI_BASE, GS1_VOC_BASE }
