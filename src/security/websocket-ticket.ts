/**
 * A browser cannot set `Authorization` on a WebSocket. It asks for a ticket with a normal
 * authenticated `POST /websocket-tickets` and opens the socket with `?ticket=...`: the ticket is
 * random (32 bytes), kept only as its SHA-256, valid for 60 seconds, good for one upgrade request on
 * any instance, and carries the roles of the credentials that asked for it.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { sha256 } from './api-key-secret.js'
import { isRole, makePrincipal, type Principal } from './principal.js'
import { findIdentifiers } from './repository.js'

export const TICKET_LIFETIME_MS = 60_000

export async function issueWebsocketTicket(db: Db, principal: Principal): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + TICKET_LIFETIME_MS)
  await db
    .insertInto('websocket_ticket')
    .values({
      ticket_hash: sha256(ticket),
      organisation_id: principal.organisationId,
      roles: principal.roles,
      key_id: principal.keyId,
      subject: principal.subject,
      expires_at: expiresAt.toISOString(),
    })
    .execute()
  await sql`DELETE FROM websocket_ticket WHERE expires_at < now() - interval '1 hour'`.execute(db)
  return { ticket, expiresAt }
}

/** The routes that take a WebSocket upgrade; a ticket is accepted nowhere else. */
export const WEBSOCKET_ROUTES: readonly string[] = ['/queries/:queryName/events']

/** The ticket of a WebSocket upgrade request (`?ticket=`) to a WebSocket route, if it is one. */
export function websocketTicketOf(request: FastifyRequest): string | undefined {
  if (String(request.headers.upgrade ?? '').toLowerCase() !== 'websocket') return undefined
  if (!WEBSOCKET_ROUTES.includes(request.routeOptions.url ?? '')) return undefined
  const ticket = (request.query as Record<string, unknown> | undefined)?.ticket
  return typeof ticket === 'string' && ticket.length > 0 ? ticket : undefined
}

/** Uses a ticket up (once, atomically, on any instance); undefined when it is unknown, used or expired. */
export async function redeemWebsocketTicket(db: Db, ticket: string): Promise<Principal | undefined> {
  const row = await db
    .deleteFrom('websocket_ticket')
    .where('ticket_hash', '=', sha256(ticket))
    .where(sql<boolean>`expires_at > now()`)
    .returningAll()
    .executeTakeFirst()
  if (!row) return undefined
  const identifiers = row.organisation_id === null ? [] : ((await findIdentifiers(db, [row.organisation_id])).get(row.organisation_id) ?? [])
  return makePrincipal({ organisationId: row.organisation_id, roles: row.roles.filter(isRole), keyId: row.key_id, subject: `${row.subject} (ticket)`, identifiers })
}
