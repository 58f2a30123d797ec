import type { FastifyInstance } from 'fastify'
import type { Json } from '../factories.js'

export interface QueryAnswer {
  status: number
  body: Json
  events: Json[]
  /** The next page's path, from Link rel="next". */
  next: string | undefined
  headers: Record<string, unknown>
}

/** GET a query URL and pick the event list, the problem and the next link out of the answer. */
export async function get(app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<QueryAnswer> {
  const response = await app.inject({ method: 'GET', url, headers })
  const body = (response.body ? response.json() : {}) as Json
  const results = ((body.epcisBody as Json | undefined)?.queryResults as Json | undefined)?.resultsBody as Json | undefined
  const link = response.headers.link as string | undefined
  return {
    status: response.statusCode,
    body,
    events: (results?.eventList as Json[] | undefined) ?? [],
    next: link ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined,
    headers: response.headers,
  }
}

/**
 * A query's events by a short name: the part of the eventID after the last ':' (the tests give
 * their events eventIDs like urn:uuid:...:name), in the order they came. Fails the test on a non-200.
 */
export function namesOf(answer: QueryAnswer): string[] {
  return answer.events.map((e) => String(e.eventID).split(':').pop()!)
}

/** Every page of a query, following Link rel="next". */
export async function allPages(app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<QueryAnswer[]> {
  const pages: QueryAnswer[] = []
  let next: string | undefined = url
  while (next) {
    const page = await get(app, next, headers)
    pages.push(page)
    if (page.status !== 200) break
    next = page.next
  }
  return pages
}

let serial = 0

/** An eventID whose last part is `name`, so that answers read as names. */
export function eventId(name: string): string {
  serial += 1
  return `urn:example:test:${serial}:${name}`
}

export const qs = (params: Record<string, string>) => new URLSearchParams(params).toString()
