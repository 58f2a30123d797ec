import { CANONICAL_DL_ORIGIN, companyPrefixCandidates } from '../identifiers/index.js'
import type { Principal } from './principal.js'

const GLN_PATH = /^\/(?:414|417)\/([0-9]{13})(?:\/|$)/

/**
 * Whether the caller may set the resolver links of a key (its canonical Digital Link path, e.g.
 * /01/09506000134352/10/LOT1): an admin always; otherwise when one of the organisation's GS1 Company
 * Prefixes starts the key, or the key is one of its GLNs / PGLNs.
 */
export function ownsKey(principal: Principal, path: string): boolean {
  if (principal.roles.includes('admin')) return true
  const candidates = new Set(companyPrefixCandidates(`${CANONICAL_DL_ORIGIN}${path}`) ?? [])
  const gln = GLN_PATH.exec(path)?.[1]
  return principal.identifiers.some(({ kind, digits }) =>
    kind === 'company_prefix' ? candidates.has(digits) : digits === gln,
  )
}
