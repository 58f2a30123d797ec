import { createHash } from 'node:crypto'
import type { Db } from '../db/database.js'
import { ERRORS } from '../errors.js'
import { signCursor, verifyCursor } from './page-token.js'
import { parseQuery, type PagingLimits, type RawQuery } from './params.js'
import { findEvents, findEventsById, type StoredEventRow } from './repository.js'

export interface EventPage {
  rows: StoredEventRow[]
  nextPageToken: string | undefined
}

function scopeOf(signature: string): string {
  return `events:${createHash('sha256').update(signature).digest('base64url').slice(0, 22)}`
}

/** Runs one page of a simple event query; the next page's token is bound to the same filters. */
export async function queryEvents(db: Db, key: Buffer, raw: RawQuery, limits: PagingLimits): Promise<EventPage> {
  const query = parseQuery(raw, limits)
  const scope = scopeOf(query.signature)
  const afterId = query.nextPageToken === undefined ? undefined : Number(verifyCursor(key, query.nextPageToken, scope))
  if (afterId !== undefined && !Number.isSafeInteger(afterId)) throw ERRORS.queryParameter('nextPageToken is not valid')
  const rows = await findEvents(db, query.filters, { limit: query.perPage + 1, afterId })
  const page = rows.slice(0, query.perPage)
  const nextPageToken = rows.length > query.perPage ? signCursor(key, scope, page[page.length - 1]!.id) : undefined
  return { rows: page, nextPageToken }
}

export async function eventsWithId(db: Db, eventId: string): Promise<StoredEventRow[]> {
  const rows = await findEventsById(db, eventId)
  if (rows.length === 0) throw ERRORS.noSuchResource(`No event with eventID ${eventId}`)
  return rows
}
