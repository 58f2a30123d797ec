import type { VocabularyAttribute } from '../db/tables/vocabulary-element.js'

export interface LocalisedText {
  value: string
  /** BCP 47 tag, lower-cased; absent for a plain string. */
  language?: string
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function textsOf(value: unknown): LocalisedText[] {
  if (typeof value === 'string') return [{ value }]
  if (Array.isArray(value)) return value.flatMap(textsOf)
  if (isObject(value) && typeof value['@value'] === 'string') {
    const language = value['@language']
    return [{ value: value['@value'], ...(typeof language === 'string' ? { language: language.toLowerCase() } : {}) }]
  }
  return []
}

/**
 * The texts of a master-data attribute (urn:epcglobal:cbv:mda#name, #descriptionShort, ...) in every
 * language given. A text may be a plain string or a JSON-LD value object {"@value", "@language"};
 * several languages come as an array of those, or as several attributes with the same id.
 */
export function attributeTexts(attributes: readonly VocabularyAttribute[], attributeId: string): LocalisedText[] {
  return attributes.filter((a) => a.id === attributeId).flatMap((a) => textsOf(a.attribute))
}

/** The text in the first of `languages` that has one (vi before en-US's "en"), else an untagged text, else any. */
export function textIn(texts: readonly LocalisedText[], languages: readonly string[]): LocalisedText | undefined {
  for (const wanted of languages.map((l) => l.toLowerCase())) {
    const found =
      texts.find((t) => t.language === wanted) ?? texts.find((t) => t.language?.split('-')[0] === wanted.split('-')[0])
    if (found) return found
  }
  return texts.find((t) => t.language === undefined) ?? texts[0]
}
