import { digitalLinkKey, parseDigitalLink } from './digital-link.js'
import { isEpcUrn, parseEpcUrn } from './epc-urn.js'
import { companyPrefixSearchText } from './epc-urn-format.js'
import { reduceToIdentity } from './gs1-key.js'

/** Shortest and longest GS1 Company Prefix. */
export const COMPANY_PREFIX_LENGTHS = { min: 4, max: 12 } as const

/**
 * The GS1 Company Prefix an EPC URN spells out (the URN separates it; a Digital Link does not).
 * undefined for Digital Links, non-GS1 identifiers and invalid values.
 */
export function companyPrefixOf(uri: string): string | undefined {
  if (!isEpcUrn(uri)) return undefined
  try {
    const parsed = parseEpcUrn(uri)
    if (!parsed || parsed.type !== 'gs1') return undefined
    return companyPrefixSearchText(reduceToIdentity(parsed.key))?.slice(0, parsed.companyPrefixLength)
  } catch {
    return undefined
  }
}

/**
 * For a GS1 Digital Link, the digits where its Company Prefix starts: every prefix of them from 4
 * to 12 digits long is a candidate. undefined for anything else.
 */
export function companyPrefixCandidates(uri: string): string[] | undefined {
  try {
    const link = parseDigitalLink(uri)
    if (!link) return undefined
    const text = companyPrefixSearchText(reduceToIdentity(digitalLinkKey(link)))
    if (!text) return undefined
    const candidates: string[] = []
    for (let length = COMPANY_PREFIX_LENGTHS.min; length <= Math.min(COMPANY_PREFIX_LENGTHS.max, text.length); length++) {
      candidates.push(text.slice(0, length))
    }
    return candidates
  } catch {
    return undefined
  }
}
