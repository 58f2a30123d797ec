import type { VocabularyAttribute } from '../db/tables/vocabulary-element.js'
import { attributeTexts, textIn } from '../vocabulary/localised-text.js'
import type { PageLanguage } from './translations.js'

/** Attribute local names that name a product, best first (CBV 2.0 master data and GS1 Web Vocabulary). */
export const PRODUCT_NAME = ['regulatedProductName', 'productName', 'tradeItemDescription', 'name', 'descriptionShort', 'description']
export const PRODUCT_DESCRIPTION = ['descriptionShort', 'description', 'tradeItemDescription']
export const PLACE_NAME = ['name', 'locationName', 'organizationName', 'partyName', 'descriptionShort', 'description']
const IMAGE = ['image', 'productImage', 'referencedFileURL', 'imageURL', 'imageUrl']

/** urn:epcglobal:cbv:mda#name, cbvmda:name, https://gs1.org/voc/name all give "name". */
function localName(attributeId: string): string {
  const cut = Math.max(attributeId.lastIndexOf('#'), attributeId.lastIndexOf(':'), attributeId.lastIndexOf('/'))
  return attributeId.slice(cut + 1)
}

function withLocalName(attributes: readonly VocabularyAttribute[], name: string): string[] {
  return [...new Set(attributes.filter((a) => localName(a.id) === name).map((a) => a.id))]
}

/** The first of `names` that has a text, in the page language when given in it (else the other, else untagged). */
export function localisedText(
  attributes: readonly VocabularyAttribute[] | undefined,
  names: readonly string[],
  language: PageLanguage,
): string | undefined {
  if (!attributes) return undefined
  const languages = language === 'vi' ? ['vi', 'en'] : ['en', 'vi']
  for (const name of names) {
    const texts = withLocalName(attributes, name)
      .flatMap((id) => attributeTexts(attributes, id))
      .filter((t) => t.value.trim() !== '')
    const found = textIn(texts, languages)
    if (found) return found.value.trim()
  }
  return undefined
}

function urlOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(urlOf).find((url) => url !== undefined)
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    return urlOf(record['@id'] ?? record['@value'] ?? record['url'])
  }
  return undefined
}

/** An http(s) image URL from master data (gs1:image, cbvmda:image, ...); anything else is not drawn. */
export function imageUrl(attributes: readonly VocabularyAttribute[] | undefined): string | undefined {
  for (const name of IMAGE) {
    for (const attribute of attributes?.filter((a) => localName(a.id) === name) ?? []) {
      const url = urlOf(attribute.attribute)
      if (url && /^https?:\/\/[^\s]+$/i.test(url)) return url
    }
  }
  return undefined
}

/** A plain value of the first attribute with one of `names` (dates, numbers). */
export function plainValue(attributes: readonly VocabularyAttribute[] | undefined, names: readonly string[]): string | undefined {
  for (const name of names) {
    for (const attribute of attributes?.filter((a) => localName(a.id) === name) ?? []) {
      const value = attribute.attribute
      if (typeof value === 'string' && value.trim() !== '') return value.trim()
      if (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['@value'] === 'string') {
        return ((value as Record<string, unknown>)['@value'] as string).trim()
      }
    }
  }
  return undefined
}

export { localName }
