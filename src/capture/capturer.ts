import { declaresForAll } from '../security/declarations.js'
import { holdsAny, type Principal } from '../security/principal.js'

/** Who captures: what the stored events and master data are attributed to. */
export interface Capturer {
  /** null for an operator key. */
  organisationId: string | null
  /** Its error declarations take effect on every organisation's events (src/security/declarations.ts). */
  declaresForAll: boolean
  /** The API key that delivers the events (null or absent: a JWT or the operator key). */
  sourceApiKey?: string | null
  /** A pull from a peer (src/federation): the peer's id and its EPCIS root. */
  sourcePeer?: { id: string; repository: string } | null
  /** Where its events were first captured (epcisHeader "nguon:provenance") is believed: src/federation/provenance-trust.ts. */
  assertsProvenance?: boolean
}

export function capturerOf(principal: Principal): Capturer {
  return {
    organisationId: principal.organisationId,
    declaresForAll: declaresForAll(principal),
    sourceApiKey: principal.keyId,
    assertsProvenance: holdsAny(principal, ['forward']),
  }
}

/** An operator key's capture (no organisation), e.g. in benches and scripts. */
export const OPERATOR: Capturer = { organisationId: null, declaresForAll: true }
