/**
 * Master-data ownership, per canonical key (src/query/indexing/master-data-keys.ts): whatever spelling of an
 * element's id is written (EPC URN, Digital Link on any host, ...) and whichever path writes it (PUT /vocabularies,
 * a capture document's epcisMasterData, JSON or XML), the first organisation to write an element owns it and only
 * it may write it again. Operator keys write without owning; the consumer page shows only the owner's data.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { MasterDataElement } from '../epcis/document.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { masterDataKey } from '../query/indexing/master-data-keys.js'

type Executor = Kysely<Database> | Transaction<Database>

/** The owners of some canonical keys (keys without an owner are absent). */
export async function findOwners(db: Executor, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map()
  const rows = await db
    .selectFrom('master_data_owner')
    .select(['element_key', 'organisation_id'])
    .where('element_key', '=', sql<string>`ANY(${[...new Set(keys)]}::text[])`)
    .execute()
  return new Map(rows.map((r) => [r.element_key, r.organisation_id]))
}

/**
 * Makes `organisationId` the owner of the keys nobody owns yet, and answers the owner of every key. Keys are
 * claimed in sorted order, so that two transactions claiming overlapping keys cannot deadlock; a claim waits for a
 * concurrent one on the same key and then sees its owner.
 */
export async function claimOwnership(db: Executor, keys: readonly string[], organisationId: string): Promise<Map<string, string>> {
  const sorted = [...new Set(keys)].sort()
  if (sorted.length === 0) return new Map()
  await sql`
    INSERT INTO master_data_owner (element_key, organisation_id)
    SELECT k, ${organisationId} FROM unnest(${sorted}::text[]) AS k ORDER BY k
    ON CONFLICT (element_key) DO NOTHING`.execute(db)
  return findOwners(db, sorted)
}

export interface OwnedElsewhere {
  element: MasterDataElement
  /** Position in the list given. */
  index: number
}

/** The elements a capturer may not write: another organisation owns their key. An operator key writes any. */
export async function elementsOwnedByOthers(
  db: Executor,
  elements: readonly MasterDataElement[],
  organisationId: string | null,
  options: { claim: boolean },
): Promise<OwnedElsewhere[]> {
  if (organisationId === null || elements.length === 0) return []
  const keys = elements.map((e) => masterDataKey(e.type, e.id))
  const owners = options.claim ? await claimOwnership(db, keys, organisationId) : await findOwners(db, keys)
  return elements.flatMap((element, index) => {
    const owner = owners.get(keys[index]!)
    return owner !== undefined && owner !== organisationId ? [{ element, index }] : []
  })
}

export function ownedElsewhereItems(refused: readonly OwnedElsewhere[], suffix = ''): ProblemItem[] {
  return refused.map(({ element }) => ({
    pointer: '/epcisHeader/epcisMasterData',
    message: `The master data of ${element.id} (${element.type}) is owned by another organisation${suffix}`,
  }))
}

/** Refuses a capture document carrying master data another organisation owns (before it becomes a job). */
export async function checkMasterDataOwnership(
  db: Executor,
  elements: readonly MasterDataElement[],
  organisationId: string | null,
): Promise<void> {
  const refused = await elementsOwnedByOthers(db, elements, organisationId, { claim: false })
  if (refused.length > 0) {
    throw ERRORS.forbidden(
      'The document carries master data that another organisation owns; nothing was stored',
      ownedElsewhereItems(refused),
    )
  }
}
