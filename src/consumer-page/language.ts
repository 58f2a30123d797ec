import { parseWeightedList } from '../resolver/preferences.js'
import { PAGE_LANGUAGES, type PageLanguage } from './translations.js'

function pageLanguageOf(range: string): PageLanguage | undefined {
  const primary = range.trim().toLowerCase().split('-')[0]
  return PAGE_LANGUAGES.find((language) => language === primary)
}

/**
 * The page's language: the lang query parameter (what the resolver passes on, possibly a list such as
 * "en-GB,vi"), else the best Accept-Language range we write, else Vietnamese.
 */
export function chooseLanguage(lang: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  for (const value of lang?.split(',') ?? []) {
    const language = pageLanguageOf(value)
    if (language) return language
  }
  for (const { value, q } of parseWeightedList(acceptLanguage)) {
    if (q === 0) continue
    const language = pageLanguageOf(value)
    if (language) return language
  }
  return 'vi'
}

/** The other language, for the switch link. */
export function otherLanguage(language: PageLanguage): PageLanguage {
  return language === 'vi' ? 'en' : 'vi'
}
