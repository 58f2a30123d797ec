/**
 * Master-data ownership, per canonical key (src/query/indexing/master-data-keys.ts): whatever spelling of an
 * element's id is written (EPC URN, Digital Link on any host, ...) and whichever path writes it (PUT /vocabularies,
 * a capture document's epcisMasterData, JSON or XML), an element belongs to the organisation whose GLN or GS1 Company
 * Prefix its key carries, else to the first organisation that wrote it, and only its owner may write it again.
 * Operator keys write without owning; the consumer page shows only the owner's data.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { MasterDataElement } from '../epcis/document.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { masterDataKey } from '../query/indexing/master-data-keys.js'
import { companyPrefixCandidates } from '../identifiers/index.js'
import { jsonRows } from '../db/json-rows.js'

type Executor = Kysely<Database> | Transaction<Database>

/** The owners recorded for some canonical keys (keys without an owner are absent). */
export async function findOwners(db: Executor, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map()
  const rows = await db
    .selectFrom('master_data_owner')
    .select(['element_key', 'organisation_id'])
    .where('element_key', '=', sql<string>`ANY(${[...new Set(keys)]}::text[])`)
    .execute()
  return new Map(rows.map((r) => [r.element_key, r.organisation_id]))
}

const GLN_KEY = /^https:\/\/id\.gs1\.org\/(?:414|417)\/([0-9]{13})(?:\/|$)/

/**
 * The organisations that own keys by their identifiers (src/security/link-ownership.ts has the same rule for links):
 * a GLN / PGLN key (and its extensions) belongs to the organisation with that GLN, any other GS1 key to the
 * organisation with the longest GS1 Company Prefix starting it.
 */
async function identifierOwners(db: Executor, keys: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Map<string, { gln: string | undefined; prefixes: string[] }>()
  for (const key of keys) {
    const prefixes = companyPrefixCandidates(key) ?? []
    const gln = GLN_KEY.exec(key)?.[1]
    if (prefixes.length > 0 || gln !== undefined) wanted.set(key, { gln, prefixes })
  }
  if (wanted.size === 0) return new Map()
  const digits = [...new Set([...wanted.values()].flatMap((w) => [...w.prefixes, ...(w.gln ? [w.gln] : [])]))]
  const rows = await db
    .selectFrom('organisation_identifier')
    .select(['organisation_id', 'kind', 'digits'])
    .where('digits', '=', sql<string>`ANY(${digits}::text[])`)
    .orderBy('organisation_id')
    .execute()
  const byGln = new Map(rows.filter((r) => r.kind !== 'company_prefix').map((r) => [r.digits, r.organisation_id]))
  const byPrefix = new Map(rows.filter((r) => r.kind === 'company_prefix').map((r) => [r.digits, r.organisation_id]))
  const owners = new Map<string, string>()
  for (const [key, { gln, prefixes }] of wanted) {
    const longest = [...prefixes].reverse().find((p) => byPrefix.has(p))
    const owner = (gln !== undefined ? byGln.get(gln) : undefined) ?? (longest !== undefined ? byPrefix.get(longest) : undefined)
    if (owner !== undefined) owners.set(key, owner)
  }
  return owners
}

/**
 * The owner of every key that has one: the organisation its GLN or Company Prefix belongs to, else the first
 * organisation that wrote it. With `claimFor`, keys nobody owns become that organisation's. Owners by identifier are
 * recorded too, so that readers (the consumer page) need only master_data_owner. Keys are written in sorted order,
 * so that two transactions claiming overlapping keys cannot deadlock; a claim waits for a concurrent one on the same
 * key and then sees its owner.
 */
export async function resolveOwners(
  db: Executor,
  keys: readonly string[],
  claimFor: string | null,
): Promise<Map<string, string>> {
  const sorted = [...new Set(keys)].sort()
  if (sorted.length === 0) return new Map()
  const byIdentifier = await identifierOwners(db, sorted)
  const rows = sorted.flatMap((key) => {
    const owner = byIdentifier.get(key) ?? claimFor
    return owner === null ? [] : [{ key, owner, fixed: byIdentifier.has(key) }]
  })
  const fixed = rows.filter((r) => r.fixed)
  const claimed = rows.filter((r) => !r.fixed)
  if (fixed.length > 0) {
    await sql`
      INSERT INTO master_data_owner (element_key, organisation_id)
      SELECT r.key, r.owner FROM ${jsonRows(fixed, 'key text, owner text')} ORDER BY r.key
      ON CONFLICT (element_key) DO UPDATE SET organisation_id = EXCLUDED.organisation_id
      WHERE master_data_owner.organisation_id <> EXCLUDED.organisation_id`.execute(db)
  }
  if (claimed.length > 0) {
    await sql`
      INSERT INTO master_data_owner (element_key, organisation_id)
      SELECT r.key, r.owner FROM ${jsonRows(claimed, 'key text, owner text')} ORDER BY r.key
      ON CONFLICT (element_key) DO NOTHING`.execute(db)
  }
  const recorded = await findOwners(db, sorted)
  for (const [key, owner] of byIdentifier) recorded.set(key, owner)
  return recorded
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
  const owners = await resolveOwners(db, keys, options.claim ? organisationId : null)
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
