import type { Db } from '../db/database.js'
import { ERRORS } from '../errors.js'
import { readsDeclarations, type Filter, type ParsedQuery } from './filters.js'
import { resolveNamespaces, type Namespaces } from './namespaces.js'
import { signCursor, verifyCursor } from './page-token.js'
import { parseQuery, prefixesOf, querySignature, type PagingLimits, type RawParams } from './params.js'
import {
  countCandidates,
  countSql,
  estimatedCost,
  eventPageSql,
  findEvents,
  findEventsByCandidates,
  findEventsById,
  type StoredEventRow,
} from './repository.js'
import { candidatesOf } from './sql/conditions.js'
import type { VisibilityScope } from '../security/visibility.js'
import { checkCursor, type Cursor } from './sql/order.js'
import { checkProvenanceQuery } from '../federation/query.js'

export interface QuerySettings extends PagingLimits {
  /** The planner cost above which a query is refused with QueryTooComplexException (QUERY_MAX_COST). */
  maxCost: number
  /** How many events a side-table filter may select and still drive the query (default CANDIDATE_LIMIT). */
  candidateLimit?: number
}

export interface EventQueryRequest {
  params: RawParams
  /** Namespace prefixes the request declares (the GS1-Extensions header, a named query's @context). */
  declared?: Record<string, string>
  /** Namespaces already resolved (a named query's, fixed when it was created); otherwise resolved now. */
  namespaces?: Namespaces
  /** Filters the resource itself adds (/eventTypes/{eventType}/events, ...). */
  base?: Filter[]
  /** The events the caller may see; undefined only for callers that see every event. Required so no path forgets it. */
  visibility: VisibilityScope | undefined
  /** What the page tokens are bound to besides the filters: the resource listed. */
  scope: string
}

export interface EventPage {
  rows: StoredEventRow[]
  nextPageToken: string | undefined
}

/** What a page token carries: where the previous page ended and how many events were served so far. */
interface PageState {
  after: Cursor
  served: number
}

function readToken(key: Buffer, token: string, scope: string, query: ParsedQuery): PageState {
  const state = verifyCursor(key, token, scope) as Partial<PageState> | null
  if (!state || !checkCursor(query.order, state.after) || !Number.isSafeInteger(state.served)) {
    throw ERRORS.queryParameter('nextPageToken is not a valid page token for this query')
  }
  return state as PageState
}

/** Parses a query's parameters, resolving the namespace prefixes its names use. */
export async function parseEventQuery(db: Db, request: Omit<EventQueryRequest, 'scope' | 'visibility'>, limits: PagingLimits) {
  const namespaces = request.namespaces ?? (await resolveNamespaces(db, prefixesOf(request.params), request.declared ?? {}))
  return { query: parseQuery(request.params, limits, namespaces), namespaces }
}

/**
 * Refuses, before running it, a query whose plan costs more than the configured limit (a scan
 * without a usable index over a large table): QueryTooComplexException instead of a busy database.
 */
async function guardCost(db: Db, statement: Parameters<typeof estimatedCost>[1], maxCost: number): Promise<void> {
  const cost = await estimatedCost(db, statement)
  if (cost > maxCost) {
    throw ERRORS.queryTooComplex(
      `The query would cost about ${Math.round(cost)} (limit ${maxCost}): it needs a more selective parameter ` +
        '(an identifier, a location, a time window) or a smaller eventCountLimit',
    )
  }
}

/** At most this many candidate events are listed first and read by primary key (see drivingFilter). */
const CANDIDATE_LIMIT = 10_000

/** Which filters on tables beside `event` may drive a query, most selective kinds first. */
const DRIVER_ORDER: Array<Filter['kind']> = ['identifier', 'link', 'persistentDisposition', 'field', 'masterData', 'sensor', 'quantity', 'provenance']

/**
 * The planner estimates a filter on a side table (sensor readings, extension fields, ...) from
 * per-column statistics; when the estimate is far too high it walks the whole event index in order
 * looking for matches that hardly exist. So the most selective-looking side filter drives the
 * query: when it selects at most CANDIDATE_LIMIT rows, its event keys are listed first and the
 * events read by primary key (bounded work, no cost guard needed); otherwise the planner decides,
 * behind the guard.
 */
export function drivingFilter(filters: Filter[]): number | undefined {
  return filters
    .map((filter, index) => ({ index, rank: DRIVER_ORDER.indexOf(filter.kind), side: candidatesOf(filter) !== undefined }))
    .filter((f) => f.side && f.rank >= 0)
    .sort((a, b) => a.rank - b.rank)[0]?.index
}

/** The driving filter when it selects at most `limit` rows (one counting statement). */
export async function boundedDriver(db: Db, filters: Filter[], limit = CANDIDATE_LIMIT): Promise<number | undefined> {
  const driver = drivingFilter(filters)
  if (driver === undefined) return undefined
  const count = await countCandidates(db, candidatesOf(filters[driver]!)!, limit + 1)
  return count <= limit ? driver : undefined
}

/** More than maxEventCount matching events is a QueryTooLargeException. */
async function checkMaxEventCount(db: Db, filters: Filter[], maxEventCount: number, settings: QuerySettings): Promise<void> {
  const driver = await boundedDriver(db, filters, settings.candidateLimit)
  const counting = countSql(filters, maxEventCount + 1, driver)
  if (driver === undefined) await guardCost(db, counting, settings.maxCost)
  const count = (await counting.execute(db)).rows[0]!.n
  if (count > maxEventCount) throw ERRORS.queryTooLarge(`More than maxEventCount (${maxEventCount}) events match the query`)
}

/** Runs one page of an event query; the next page's token is bound to the same resource and filters. */
export async function queryEvents(db: Db, key: Buffer, request: EventQueryRequest, settings: QuerySettings): Promise<EventPage> {
  const { query } = await parseEventQuery(db, request, settings)
  checkProvenanceQuery(query.filters, request.visibility === undefined)
  // The visibility filter is applied on every page and also binds the page tokens to the caller's organisation.
  const base = [...visibilityFilters(request.visibility), ...(request.base ?? [])]
  const filters = [...base, ...query.filters, ...declarationFilters(query.filters)]
  const scope = `${request.scope}:${querySignature(query, base)}`
  const state = query.nextPageToken === undefined ? undefined : readToken(key, query.nextPageToken, scope, query)
  const served = state?.served ?? 0
  const remaining = query.eventCountLimit === undefined ? Number.POSITIVE_INFINITY : query.eventCountLimit - served
  const limit = Math.max(0, Math.min(query.perPage, remaining))
  const page = { filters, order: query.order, after: state?.after, limit: limit + 1 }

  if (!state && query.maxEventCount !== undefined) await checkMaxEventCount(db, filters, query.maxEventCount, settings)
  if (limit === 0) return { rows: [], nextPageToken: undefined }
  const driver = drivingFilter(filters)
  const candidateLimit = settings.candidateLimit ?? CANDIDATE_LIMIT
  let found = driver === undefined ? undefined : await findEventsByCandidates(db, page, driver, candidateLimit)
  if (!found) {
    if (!state) await guardCost(db, eventPageSql(page), settings.maxCost)
    found = await findEvents(db, page)
  }
  const rows = found.rows.slice(0, limit)
  const more = found.rows.length > limit && rows.length < remaining
  const nextPageToken = more
    ? signCursor(key, scope, { after: found.cursors[rows.length - 1]!, served: served + rows.length } satisfies PageState)
    : undefined
  return { rows, nextPageToken }
}

/** The caller's visibility, and which error declarations it is shown (src/security/declarations.ts). */
export function visibilityFilters(visibility: VisibilityScope | undefined): Filter[] {
  const shown: Filter = { kind: 'declarationsShownTo', organisationId: visibility?.organisationId ?? null }
  return visibility ? [{ kind: 'visibleTo', scope: visibility }, shown] : [shown]
}

/** A query with an error-declaration parameter matches only declarations that take effect. */
function declarationFilters(filters: Filter[]): Filter[] {
  return filters.some(readsDeclarations) ? [{ kind: 'declarationInEffect' }] : []
}

/** An event and its error declarations, as far as the caller may see them (an invisible event is a 404). */
export async function eventsWithId(db: Db, eventId: string, visibility: VisibilityScope | undefined): Promise<StoredEventRow[]> {
  const rows = await findEventsById(db, eventId, visibilityFilters(visibility))
  if (rows.length === 0) throw ERRORS.noSuchResource(`No event with eventID ${eventId}`)
  return rows
}
