import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'

export interface OidcSettings {
  issuer: string
  jwksUrl: string
  audience: string | undefined
  /** The claim naming the caller's organisation id (OIDC_ORGANISATION_CLAIM). */
  organisationClaim: string
  /** The claim listing the caller's roles, as an array or a space-separated string (OIDC_ROLES_CLAIM). */
  rolesClaim: string
}

export interface VerifiedToken {
  subject: string
  organisationId: string | null
  /** Every value of the roles claim; unknown roles are dropped by the caller. */
  roles: string[]
}

/** Raised for a JWT that is malformed, badly signed, expired, or from another issuer or audience. */
export class InvalidTokenError extends Error {}

/** Claims may be nested objects: `realm_access.roles` reads payload.realm_access.roles. */
function claim(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function rolesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
  return []
}

/** Verifies JWTs from the configured OpenID Connect provider against its JWKS (fetched and cached by jose). */
export function jwtVerifier(settings: OidcSettings): (token: string) => Promise<VerifiedToken> {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl))
  return async (token) => {
    const options = { issuer: settings.issuer, ...(settings.audience ? { audience: settings.audience } : {}) }
    const payload = await jwtVerify(token, keys, options).then(
      (result) => result.payload,
      (error: unknown) => {
        // A JWKS that cannot be fetched is the provider's failure, not the caller's: it stays a 5xx.
        if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
          throw new InvalidTokenError(error.code)
        }
        throw error
      },
    )
    const organisation = claim(payload, settings.organisationClaim)
    return {
      subject: typeof payload.sub === 'string' ? payload.sub : 'unknown',
      organisationId: typeof organisation === 'string' && organisation !== '' ? organisation : null,
      roles: rolesOf(claim(payload, settings.rolesClaim)),
    }
  }
}
