import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { ResolverLinkSetRow, StoredResolverLink } from '../db/tables/resolver-link-set.js'
import { LinkKind } from '../db/tables/event-link.js'
import type { KeyLevel } from './key-levels.js'
import { publishedEventKey, publishedOnly } from '../publication/published.js'

type Executor = Kysely<Database> | Transaction<Database>

export async function findLinkSets(db: Executor, identifiers: readonly string[]): Promise<ResolverLinkSetRow[]> {
  if (identifiers.length === 0) return []
  return db.selectFrom('resolver_link_set').selectAll().where('identifier', 'in', [...identifiers]).execute()
}

export async function findLinkSet(db: Executor, identifier: string): Promise<ResolverLinkSetRow | undefined> {
  return db.selectFrom('resolver_link_set').selectAll().where('identifier', '=', identifier).executeTakeFirst()
}

export interface LinkSetInput {
  identifier: string
  itemDescription: string
  defaultLinkType: string | null
  links: StoredResolverLink[]
  organisationId: string | null
}

/** Inserts or replaces a link set; tells whether it was created. */
export async function saveLinkSet(db: Executor, input: LinkSetInput): Promise<{ row: ResolverLinkSetRow; created: boolean }> {
  const values = {
    identifier: input.identifier,
    item_description: input.itemDescription,
    default_link_type: input.defaultLinkType,
    links: JSON.stringify(input.links),
    organisation_id: input.organisationId,
  }
  const row = await db
    .insertInto('resolver_link_set')
    .values(values)
    .onConflict((oc) =>
      oc.column('identifier').doUpdateSet({
        item_description: values.item_description,
        default_link_type: values.default_link_type,
        links: values.links,
        organisation_id: values.organisation_id,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    // xmax is 0 only for a freshly inserted row version.
    .returning(sql<boolean>`xmax = 0`.as('created'))
    .executeTakeFirstOrThrow()
  const { created, ...stored } = row
  return { row: stored, created }
}

export async function deleteLinkSet(db: Executor, identifier: string): Promise<boolean> {
  const result = await db.deleteFrom('resolver_link_set').where('identifier', '=', identifier).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function listLinkSets(db: Executor, limit: number, after?: string): Promise<ResolverLinkSetRow[]> {
  return db
    .selectFrom('resolver_link_set')
    .selectAll()
    .$if(after !== undefined, (q) => q.where('identifier', '>', after!))
    .orderBy('identifier')
    .limit(limit)
    .execute()
}

/**
 * The levels whose identifier appears in a stored event: as an EPC, class or parent (or, for a
 * class or location, through an instance or sub-location of it: keys that extend it with "/..."),
 * and for a location also as read point or business location. One round trip for all levels.
 */
export async function seenLevels(db: Executor, levels: readonly KeyLevel[]): Promise<Set<string>> {
  const checks = levels
    .filter((level) => level.kind !== 'party' && level.kind !== 'other')
    .map((level) => {
      const key = level.key
      // keys extending this one with "/...": the range [key/, key0) since "0" follows "/" in the C collation.
      const extended = (column: string) =>
        level.kind === 'instance'
          ? sql<boolean>`false`
          : sql<boolean>`(${sql.ref(column)} >= ${`${key}/`} AND ${sql.ref(column)} < ${`${key}0`})`
      // Only published events show a key to the public (src/publication).
      const inIdentifiers = sql<boolean>`EXISTS (SELECT 1 FROM event_identifier seen
        WHERE (seen.identifier = ${key} OR ${extended('seen.identifier')}) AND ${publishedEventKey(sql.ref('seen.event_pk'))})`
      const atLocation =
        level.kind === 'location'
          ? sql<boolean>`EXISTS (SELECT 1 FROM event WHERE (read_point = ${key} OR ${extended('read_point')}) AND ${publishedOnly('event')})
              OR EXISTS (SELECT 1 FROM event WHERE (biz_location = ${key} OR ${extended('biz_location')}) AND ${publishedOnly('event')})`
          : sql<boolean>`false`
      return sql<{ key: string }>`SELECT ${key}::text AS key WHERE ${inIdentifiers} OR ${atLocation}`
    })
  if (checks.length === 0) return new Set()
  const result = await sql<{ key: string }>`${sql.join(checks, sql` UNION ALL `)}`.execute(db)
  return new Set(result.rows.map((row) => row.key))
}

/** How events name a party or place in their source and destination lists: which list, with which type (its key). */
export interface ListUse {
  readonly list: 'source' | 'destination'
  readonly type: string
}

/** Distinct rows looked at per key: enough for every type a party is named with, bounded for a party in millions of events. */
const LIST_USE_SCAN = 10_000

/**
 * For each party or location level named as a source or destination of a stored event (a PGLN is
 * often named nowhere else), the lists and types it is named with. One round trip for all levels.
 */
export async function sourceDestinationUses(db: Executor, levels: readonly KeyLevel[]): Promise<Map<string, ListUse[]>> {
  const keys = levels.filter((level) => level.kind === 'party' || level.kind === 'location').map((level) => level.key)
  if (keys.length === 0) return new Map()
  const result = await sql<{ key: string; kind: number; type: string }>`
    SELECT DISTINCT k.key, s.kind, s.type FROM unnest(${keys}::text[]) AS k(key)
    CROSS JOIN LATERAL (
      SELECT l.kind, l.type FROM event_link l
      WHERE l.value = k.key AND l.kind IN (${LinkKind.source}, ${LinkKind.destination}) AND l.type IS NOT NULL
      LIMIT ${LIST_USE_SCAN}) AS s
    ORDER BY k.key, s.kind, s.type`.execute(db)
  const uses = new Map<string, ListUse[]>()
  for (const row of result.rows) {
    const list = row.kind === LinkKind.source ? 'source' : 'destination'
    uses.set(row.key, [...(uses.get(row.key) ?? []), { list, type: row.type }])
  }
  return uses
}
