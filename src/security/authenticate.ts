import type { Db } from '../db/database.js'
import { ERRORS } from '../errors.js'
import { parseKey, sameHash, sha256 } from './api-key-secret.js'
import { InvalidTokenError, type VerifiedToken } from './jwt.js'
import { isRole, makePrincipal, type Principal } from './principal.js'
import { findIdentifiers, findKeyByPrefix, findOrganisation, touchKey } from './repository.js'

export interface Authenticator {
  db: Db
  /** SHA-256 of ADMIN_API_KEY, when set. */
  operatorKeyHash: Buffer | undefined
  /** Verifies a JWT; undefined when no OpenID Connect provider is configured. */
  verifyJwt: ((token: string) => Promise<VerifiedToken>) | undefined
}

/** Why credentials were refused: logged (never the token itself) and answered as a 401. */
export class RefusedCredentials extends Error {}

const OPERATOR = makePrincipal({ organisationId: null, roles: ['admin'], keyId: null, subject: 'operator', identifiers: [] })

async function withIdentifiers(db: Db, principal: Omit<Principal, 'identifiers' | 'seesEverything'>): Promise<Principal> {
  const identifiers = principal.organisationId === null ? [] : ((await findIdentifiers(db, [principal.organisationId])).get(principal.organisationId) ?? [])
  return makePrincipal({ ...principal, identifiers })
}

async function apiKeyPrincipal(db: Db, token: string): Promise<Principal | undefined> {
  const parsed = parseKey(token)
  if (!parsed) return undefined
  const row = await findKeyByPrefix(db, parsed.prefix)
  if (!row || !sameHash(row.secret_hash, sha256(parsed.secret))) throw new RefusedCredentials('unknown API key')
  if (row.revoked_at !== null) throw new RefusedCredentials(`API key ${row.id} is revoked`)
  if (row.expires_at !== null && row.expires_at.getTime() <= Date.now()) throw new RefusedCredentials(`API key ${row.id} has expired`)
  await touchKey(db, row.id)
  return withIdentifiers(db, {
    organisationId: row.organisation_id,
    roles: row.roles.filter(isRole),
    keyId: row.id,
    subject: `key:${row.id}`,
  })
}

async function jwtPrincipal(authenticator: Authenticator, token: string): Promise<Principal | undefined> {
  if (!authenticator.verifyJwt || token.split('.').length !== 3) return undefined
  let verified: VerifiedToken
  try {
    verified = await authenticator.verifyJwt(token)
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new RefusedCredentials(`invalid JWT (${error.message})`)
    throw ERRORS.unavailable('The identity provider could not be reached to check the token')
  }
  const roles = verified.roles.filter(isRole)
  if (verified.organisationId !== null && !(await findOrganisation(authenticator.db, verified.organisationId))) {
    throw new RefusedCredentials(`JWT of ${verified.subject} names an unknown organisation`)
  }
  return withIdentifiers(authenticator.db, {
    organisationId: verified.organisationId,
    roles,
    keyId: null,
    subject: `jwt:${verified.subject}`,
  })
}

/** The principal a bearer token stands for; RefusedCredentials for anything that is not valid now. */
export async function authenticate(authenticator: Authenticator, token: string): Promise<Principal> {
  if (authenticator.operatorKeyHash && sameHash(authenticator.operatorKeyHash, sha256(token))) return OPERATOR
  const principal = (await apiKeyPrincipal(authenticator.db, token)) ?? (await jwtPrincipal(authenticator, token))
  if (!principal) throw new RefusedCredentials('the token is neither an API key nor a JWT this repository accepts')
  return principal
}
