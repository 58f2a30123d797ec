import type { OrganisationIdentifierKind } from '../db/tables/organisation-identifier.js'

export const ROLES = ['admin', 'capture', 'query', 'links', 'auditor', 'authority', 'reviewer', 'forward'] as const
export type Role = (typeof ROLES)[number]

/** Roles whose holders read every event (the operator, auditors, the provinces and the national portal). */
const SEE_EVERYTHING: readonly Role[] = ['admin', 'auditor', 'authority']

export interface OrganisationIdentifier {
  kind: OrganisationIdentifierKind
  digits: string
}

/** Who is calling, as the credentials say: set on every authenticated request as `request.principal`. */
export interface Principal {
  /** null for an operator key or a token naming no organisation (then only see-everything roles are useful). */
  organisationId: string | null
  roles: Role[]
  seesEverything: boolean
  /** The API key's id; null for a JWT or the ADMIN_API_KEY. */
  keyId: string | null
  /** Who to name in logs: `key:<id>`, `jwt:<sub>` or `operator`. */
  subject: string
  /** The organisation's GLNs, PGLNs and company prefixes (read with the credentials). */
  identifiers: OrganisationIdentifier[]
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function makePrincipal(fields: Omit<Principal, 'seesEverything'>): Principal {
  return { ...fields, seesEverything: fields.roles.some((role) => SEE_EVERYTHING.includes(role)) }
}

/** `admin` holds every role. */
export function holdsAny(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.includes('admin') || roles.some((role) => principal.roles.includes(role))
}
