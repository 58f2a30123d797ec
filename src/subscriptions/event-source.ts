/**
 * What a subscription delivers: the events of its named query, through the same query compiler as
 * GET /queries/{queryName}/events and the same visibility predicate as every read path.
 */
import type { Db } from '../db/database.js'
import { isObject } from '../epcis/document.js'
import { ERRORS } from '../errors.js'
import type { Filter } from '../query/filters.js'
import { findNamedQuery } from '../query/named/repository.js'
import type { Namespaces } from '../query/namespaces.js'
import { paramsFromQueryObject } from '../query/params.js'
import { parseEventQuery, visibilityFilters } from '../query/service.js'
import { checkProvenanceQuery } from '../federation/query.js'
import { findIdentifiers } from '../security/repository.js'
import type { VisibilityScope } from '../security/visibility.js'

export interface Audience {
  organisationId: string | null
  seesEverything: boolean
}

/** The visibility scope of an organisation as it is now (its identifiers may have changed since the subscription began). */
export async function audienceScope(db: Db, audience: Audience): Promise<VisibilityScope | undefined> {
  if (audience.seesEverything) return undefined
  const identifiers =
    audience.organisationId === null ? [] : ((await findIdentifiers(db, [audience.organisationId])).get(audience.organisationId) ?? [])
  return { organisationId: audience.organisationId, identifiers }
}

/**
 * The filters of a named query (result controls such as orderBy or eventCountLimit do not apply to a
 * stream of new events) and the audience's visibility. NoSuchNameException when the query is gone.
 */
export async function namedQueryFilters(db: Db, queryName: string, audience: Audience): Promise<Filter[]> {
  const own = await namedQueryOwnFilters(db, queryName)
  checkProvenanceQuery(own, audience.seesEverything)
  return [...visibilityFilters(await audienceScope(db, audience)), ...own]
}

/** The named query's own filters (without any audience's visibility). NoSuchNameException when the query is gone. */
export async function namedQueryOwnFilters(db: Db, queryName: string): Promise<Filter[]> {
  const row = await findNamedQuery(db, queryName)
  if (!row) throw ERRORS.noSuchName(`No query named '${queryName}'`)
  const namespaces: Namespaces = new Map(
    Object.entries(isObject(row.namespaces) ? row.namespaces : {}).filter((e): e is [string, string[]] => Array.isArray(e[1])),
  )
  const { query } = await parseEventQuery(db, { params: paramsFromQueryObject(row.query), namespaces }, { defaultPerPage: 1, maxPerPage: 1 })
  return query.filters
}
