import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import type { CompanyPrefixRow, CompanyPrefixSource } from '../db/tables/company-prefix.js'

import { chunksOf } from '../db/chunks.js'

type Executor = Kysely<Database> | Transaction<Database>

/** Which of the candidate prefixes are known. */
export async function findKnownPrefixes(db: Executor, candidates: string[]): Promise<Set<string>> {
  const known = new Set<string>()
  for (const chunk of chunksOf(candidates)) {
    const rows = await db.selectFrom('company_prefix').select('prefix').where('prefix', 'in', chunk).execute()
    for (const row of rows) known.add(row.prefix)
  }
  return known
}

/** Records prefixes; an operator's entry is never downgraded to a captured one. */
export async function recordPrefixes(db: Executor, prefixes: string[], source: CompanyPrefixSource): Promise<void> {
  for (const chunk of chunksOf([...new Set(prefixes)].sort())) {
    await db
      .insertInto('company_prefix')
      .values(chunk.map((prefix) => ({ prefix, source })))
      .onConflict((oc) =>
        source === 'operator' ? oc.column('prefix').doUpdateSet({ source: 'operator' }) : oc.column('prefix').doNothing(),
      )
      .execute()
  }
}

export async function listPrefixes(db: Executor, limit: number, after?: string): Promise<CompanyPrefixRow[]> {
  return db
    .selectFrom('company_prefix')
    .selectAll()
    .$if(after !== undefined, (q) => q.where('prefix', '>', after!))
    .orderBy('prefix')
    .limit(limit)
    .execute()
}

export async function findPrefix(db: Executor, prefix: string): Promise<CompanyPrefixRow | undefined> {
  return db.selectFrom('company_prefix').selectAll().where('prefix', '=', prefix).executeTakeFirst()
}

export async function deletePrefix(db: Executor, prefix: string): Promise<boolean> {
  const result = await db.deleteFrom('company_prefix').where('prefix', '=', prefix).executeTakeFirst()
  return result.numDeletedRows > 0n
}
