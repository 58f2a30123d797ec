import { randomUUID } from 'node:crypto'
import type { Db } from '../db/database.js'
import type { ApiKeyRow } from '../db/tables/api-key.js'
import type { OrganisationRow, PublicationPolicy } from '../db/tables/organisation.js'
import { setPolicy } from '../publication/repository.js'
import { ERRORS } from '../errors.js'
import { newKeySecret } from '../security/api-key-secret.js'
import { parseOrganisationIdentifiers } from '../security/organisation-identifiers.js'
import type { OrganisationIdentifier, Role } from '../security/principal.js'
import { findIdentifiers, findOrganisation, insertKey, insertOrganisation, listOrganisations, revokeKey } from '../security/repository.js'

/** A key lives this long when the request gives no expiresAt. */
const DEFAULT_KEY_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000

export function organisationView(row: OrganisationRow, identifiers: OrganisationIdentifier[]) {
  return {
    id: row.id,
    name: row.name,
    identifiers: identifiers.map(({ kind, digits }) => ({ kind, digits })),
    createdAt: row.created_at.toISOString(),
    publicationPolicy: row.publication_policy,
  }
}

export function apiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    prefix: row.prefix,
    organization: row.organisation_id,
    roles: row.roles,
    description: row.description,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  }
}

export async function createOrganisation(db: Db, body: { id: string; name: string; identifiers?: string[] }) {
  const identifiers = parseOrganisationIdentifiers(body.identifiers ?? [], '/identifiers')
  const row = await db.transaction().execute((trx) => insertOrganisation(trx, { id: body.id, name: body.name }, identifiers))
  if (!row) throw ERRORS.alreadyExists(`An organisation with id '${body.id}' already exists`)
  return organisationView(row, identifiers)
}

export async function organisationPage(db: Db, limit: number, after: string | undefined) {
  const rows = await listOrganisations(db, limit, after)
  const identifiers = await findIdentifiers(db, rows.map((row) => row.id))
  return rows.map((row) => organisationView(row, identifiers.get(row.id) ?? []))
}

/** Sets the organisation's publication policy (src/publication): it applies to the events it captures from now on. */
export async function updateOrganisation(db: Db, id: string, body: { publicationPolicy?: PublicationPolicy }) {
  if (body.publicationPolicy !== undefined && !(await setPolicy(db, id, body.publicationPolicy))) throw ERRORS.noSuchResource(`No organisation '${id}'`)
  return getOrganisation(db, id)
}

export async function getOrganisation(db: Db, id: string) {
  const row = await findOrganisation(db, id)
  if (!row) throw ERRORS.noSuchResource(`No organisation '${id}'`)
  return organisationView(row, (await findIdentifiers(db, [id])).get(id) ?? [])
}

/** Creates an API key for an organisation; the answer holds the key, which is never shown again. */
export async function createApiKey(
  db: Db,
  body: { organization: string; roles: Role[]; expiresAt?: string; description?: string },
  now = Date.now(),
) {
  if (!(await findOrganisation(db, body.organization))) {
    throw ERRORS.validation(`No organisation '${body.organization}'`, [{ pointer: '/organization', message: 'is not a known organisation' }])
  }
  const expiresAt = body.expiresAt === undefined ? new Date(now + DEFAULT_KEY_LIFETIME_MS) : new Date(body.expiresAt)
  if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now) {
    throw ERRORS.validation('expiresAt must be a time in the future', [{ pointer: '/expiresAt', message: 'is not in the future' }])
  }
  const secret = newKeySecret()
  const row = await insertKey(db, {
    id: randomUUID(),
    prefix: secret.prefix,
    secret_hash: secret.hash,
    organisation_id: body.organization,
    roles: [...new Set(body.roles)],
    description: body.description ?? null,
    expires_at: expiresAt,
    revoked_at: null,
    last_used_at: null,
  })
  return { ...apiKeyView(row), key: secret.key }
}

export async function revokeApiKey(db: Db, id: string): Promise<void> {
  if (!(await revokeKey(db, id))) throw ERRORS.noSuchResource(`No API key '${id}'`)
}
