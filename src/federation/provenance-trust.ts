import { ERRORS, type ProblemItem } from '../errors.js'
import { holdsAny, type OrganisationIdentifier, type Principal } from '../security/principal.js'
import { partyDigits } from './organisation-names.js'
import { readProvenance, PROVENANCE_MEMBER } from './provenance-header.js'

/**
 * Whether a capture's `nguon:provenance` is to be believed (false: it makes no claim, nothing to believe). A caller holding `forward` (a province forwarding for its
 * enterprises; `admin` holds every role) may name any origin. Anyone else may only say where its own events were
 * first captured: every entry must name its own organisation (by one of its GLNs or PGLNs, or a number under one of
 * its company prefixes); an entry naming another organisation, or none, is refused with 403 before a job exists.
 * A malformed member is a 400 (readProvenance).
 */
export function provenanceBelieved(document: unknown, principal: Principal): boolean {
  const claims = readProvenance(document)
  if (claims.size === 0) return false
  if (holdsAny(principal, ['forward'])) return true
  const refused: ProblemItem[] = []
  for (const [eventId, claim] of claims) {
    if (!namesOwn(claim.originOrganisation, principal.identifiers)) {
      refused.push({ pointer: PROVENANCE_MEMBER, message: `eventID ${eventId}: names ${claim.originOrganisation ?? 'no organisation'} as its origin` })
    }
  }
  if (refused.length > 0) {
    throw ERRORS.forbidden(
      'Forwarding events first captured by another organisation needs the forward role; without it, nguon:provenance may name only your own organisation',
      refused.slice(0, 20),
    )
  }
  return true
}

function namesOwn(name: string | null, identifiers: OrganisationIdentifier[]): boolean {
  const digits = name === null ? undefined : partyDigits(name)
  if (digits === undefined) return false
  return identifiers.some((i) => (i.kind === 'company_prefix' ? digits.startsWith(i.digits) : i.digits === digits))
}
