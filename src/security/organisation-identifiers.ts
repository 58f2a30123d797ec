import type { OrganisationIdentifierKind } from '../db/tables/organisation-identifier.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { CANONICAL_DL_ORIGIN, hasValidGs1CheckDigit, toDigitalLink } from '../identifiers/index.js'
import type { OrganisationIdentifier } from './principal.js'

const GLN_LINK = new RegExp(`^${CANONICAL_DL_ORIGIN}/(414|417)/([0-9]{13})(/|$)`)

/**
 * An organisation's identifier as the admin API accepts it: a GLN as 13 digits, a GS1 Company Prefix
 * as 4 to 12 digits, or a GLN / PGLN as an EPC URN (urn:epc:id:sgln:..., urn:epc:id:pgln:...) or a
 * Digital Link (.../414/..., .../417/...). undefined when it is none of these.
 */
export function parseOrganisationIdentifier(value: string): OrganisationIdentifier | undefined {
  if (/^[0-9]{4,12}$/.test(value)) return { kind: 'company_prefix', digits: value }
  if (/^[0-9]{13}$/.test(value)) return hasValidGs1CheckDigit(value) ? { kind: 'gln', digits: value } : undefined
  let link: string | undefined
  try {
    link = toDigitalLink(value)
  } catch {
    return undefined
  }
  const match = link === undefined ? null : GLN_LINK.exec(link)
  if (!match) return undefined
  const kind: OrganisationIdentifierKind = match[1] === '417' ? 'pgln' : 'gln'
  return { kind, digits: match[2]! }
}

/** Parses every identifier of a request body, reporting each one that is not valid (400). */
export function parseOrganisationIdentifiers(values: string[], pointer: string): OrganisationIdentifier[] {
  const errors: ProblemItem[] = []
  const parsed: OrganisationIdentifier[] = []
  values.forEach((value, i) => {
    const identifier = parseOrganisationIdentifier(value)
    if (identifier) parsed.push(identifier)
    else errors.push({ pointer: `${pointer}/${i}`, message: `'${value}' is not a GLN, PGLN or GS1 Company Prefix` })
  })
  if (errors.length) throw ERRORS.validation('Some identifiers are not valid', errors)
  const seen = new Set<string>()
  return parsed.filter((p) => !seen.has(`${p.kind}:${p.digits}`) && seen.add(`${p.kind}:${p.digits}`))
}

/**
 * Canonical-key patterns of what an organisation's identifiers name as a party or a location: a GLN or
 * PGLN as /414/ (with any /254/ extension) and /417/ (the same number names both), a company prefix as
 * every GLN and PGLN that starts with it. `exact` for = ANY, `like` for LIKE ANY.
 */
export function partyKeyPatterns(identifiers: OrganisationIdentifier[]): { exact: string[]; like: string[] } {
  const exact: string[] = []
  const like: string[] = []
  for (const { kind, digits } of identifiers) {
    if (kind === 'company_prefix') {
      like.push(`${CANONICAL_DL_ORIGIN}/414/${digits}%`, `${CANONICAL_DL_ORIGIN}/417/${digits}%`)
    } else {
      exact.push(`${CANONICAL_DL_ORIGIN}/414/${digits}`, `${CANONICAL_DL_ORIGIN}/417/${digits}`)
      like.push(`${CANONICAL_DL_ORIGIN}/414/${digits}/254/%`)
    }
  }
  return { exact, like }
}
