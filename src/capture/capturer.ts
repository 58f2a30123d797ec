import { declaresForAll } from '../security/declarations.js'
import type { Principal } from '../security/principal.js'

/** Who captures: what the stored events and master data are attributed to. */
export interface Capturer {
  /** null for an operator key. */
  organisationId: string | null
  /** Its error declarations take effect on every organisation's events (src/security/declarations.ts). */
  declaresForAll: boolean
}

export function capturerOf(principal: Principal): Capturer {
  return { organisationId: principal.organisationId, declaresForAll: declaresForAll(principal) }
}

/** An operator key's capture (no organisation), e.g. in benches and scripts. */
export const OPERATOR: Capturer = { organisationId: null, declaresForAll: true }
