import { createHash } from 'node:crypto'
import type { Db } from '../../db/database.js'
import { ERRORS } from '../../errors.js'
import { isObject } from '../../epcis/document.js'
import { contextNamespaces, resolveNamespaces, type Namespaces } from '../namespaces.js'
import { paramsFromQueryObject, prefixesOf, type PagingLimits, type RawParams } from '../params.js'
import { parseEventQuery, queryEvents, type EventPage, type QuerySettings } from '../service.js'
import type { Principal } from '../../security/principal.js'
import type { VisibilityScope } from '../../security/visibility.js'
import { deleteNamedQuery, findNamedQuery, insertNamedQuery } from './repository.js'

/** The part of a query a named query may not fix: paging belongs to each request. */
const PAGING = ['perPage', 'nextPageToken']

export interface NamedQuery {
  name: string
  query: Record<string, unknown>
}

/**
 * Checks a query definition as GET /events would run it (every parameter, every prefix resolved
 * through the request's GS1-Extensions header, the query's own @context or the captured
 * documents), then stores it with the namespaces its prefixes resolved to.
 */
export async function createNamedQuery(
  db: Db,
  definition: NamedQuery,
  declared: Record<string, string>,
  limits: PagingLimits,
  organisationId: string | null = null,
): Promise<void> {
  const { name, query } = definition
  for (const param of PAGING) {
    if (param in query) throw ERRORS.queryParameter(`${param}: a named query cannot fix paging; give it when reading the events`)
  }
  const params = paramsFromQueryObject(query)
  const namespaces = await resolveNamespaces(db, prefixesOf(params), { ...declared, ...contextNamespaces(query['@context']) })
  await parseEventQuery(db, { params, namespaces }, limits)
  if (!(await insertNamedQuery(db, name, query, Object.fromEntries(namespaces), organisationId))) {
    throw ERRORS.alreadyExists(`A query named '${name}' already exists`)
  }
}

export async function getNamedQuery(db: Db, name: string): Promise<NamedQuery> {
  const row = await findNamedQuery(db, name)
  if (!row) throw ERRORS.noSuchName(`No query named '${name}'`)
  return { name: row.name, query: row.query }
}

/** Only the organisation that created a query, or an admin, deletes it. */
export async function removeNamedQuery(db: Db, name: string, caller: Principal): Promise<void> {
  const row = await findNamedQuery(db, name)
  if (!row) throw ERRORS.noSuchName(`No query named '${name}'`)
  if (!caller.roles.includes('admin') && row.organisation_id !== caller.organisationId) {
    throw ERRORS.forbidden(`The query '${name}' belongs to another organisation`)
  }
  if (!(await deleteNamedQuery(db, name))) throw ERRORS.noSuchName(`No query named '${name}'`)
}

/** One page of a named query's events; the request may only add perPage and nextPageToken. */
export async function namedQueryEvents(
  db: Db,
  key: Buffer,
  name: string,
  paging: RawParams,
  settings: QuerySettings,
  visibility: VisibilityScope | undefined,
): Promise<EventPage> {
  const extra = Object.keys(paging).filter((param) => !PAGING.includes(param))
  if (extra.length > 0) {
    throw ERRORS.queryParameter(`${extra[0]}: the parameters of a named query are fixed; only perPage and nextPageToken may be added`)
  }
  const row = await findNamedQuery(db, name)
  if (!row) throw ERRORS.noSuchName(`No query named '${name}'`)
  const namespaces: Namespaces = new Map(
    Object.entries(isObject(row.namespaces) ? row.namespaces : {}).filter((e): e is [string, string[]] => Array.isArray(e[1])),
  )
  const digest = createHash('sha256').update(JSON.stringify(row.query)).digest('base64url').slice(0, 16)
  return queryEvents(
    db,
    key,
    { params: { ...paramsFromQueryObject(row.query), ...paging }, namespaces, scope: `queries/${name}/${digest}`, visibility },
    settings,
  )
}
