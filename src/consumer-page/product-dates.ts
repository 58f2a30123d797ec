import type { VocabularyAttribute } from '../db/tables/vocabulary-element.js'
import type { AiElement } from '../identifiers/index.js'
import { gs1DateToIso } from './dates.js'
import { localName, plainValue } from './master-data-text.js'

export type DateKind = 'expiry' | 'bestBefore' | 'sellBy'

/** CBV 2.0 ILMD / master-data attribute names and GS1 AIs of the dates a shopper looks for. */
const DATE_FIELDS: ReadonlyArray<{ kind: DateKind; names: string[]; ai: string }> = [
  { kind: 'expiry', names: ['itemExpirationDate', 'expirationDate'], ai: '17' },
  { kind: 'bestBefore', names: ['bestBeforeDate'], ai: '15' },
  { kind: 'sellBy', names: ['sellByDate'], ai: '16' },
]

export type ProductDates = Partial<Record<DateKind, string>>

function ilmdValue(ilmd: unknown, names: readonly string[]): string | undefined {
  if (typeof ilmd !== 'object' || ilmd === null || Array.isArray(ilmd)) return undefined
  for (const [key, value] of Object.entries(ilmd as Record<string, unknown>)) {
    if (names.includes(localName(key)) && typeof value === 'string' && value.trim() !== '') return value.trim()
  }
  return undefined
}

/**
 * Expiry, best-before and sell-by dates (xsd:date) of the product: from the ILMD of the events that
 * made it or its lot (the first that states one), else its lot's master data, else the Digital Link's
 * data attributes (?17=YYMMDD), which describe the pack in the shopper's hand.
 */
export function productDates(
  ilmds: readonly unknown[],
  lotAttributes: readonly VocabularyAttribute[] | undefined,
  linkAttributes: readonly AiElement[],
): ProductDates {
  const dates: ProductDates = {}
  for (const field of DATE_FIELDS) {
    const fromIlmd = ilmds.map((ilmd) => ilmdValue(ilmd, field.names)).find((v) => v !== undefined)
    const fromLink = linkAttributes.find((a) => a.ai === field.ai)
    const value = fromIlmd ?? plainValue(lotAttributes, field.names) ?? (fromLink && gs1DateToIso(fromLink.value))
    if (value) dates[field.kind] = value
  }
  return dates
}
