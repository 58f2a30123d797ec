import type { Db } from '../db/database.js'

/**
 * Rows this instance has seen committed that never change or go afterwards: the id of each stored @context (by
 * digest) and the company prefixes already recorded. POST /events skips the statements that would only find them
 * again. Kept per database handle, bounded, and filled only after the transaction that used them committed.
 */
export interface KnownRows {
  contexts: Map<string, number>
  prefixes: Set<string>
}

const LIMIT = 10_000
const known = new WeakMap<Db, KnownRows>()

export function knownRows(db: Db): KnownRows {
  let rows = known.get(db)
  if (!rows) {
    rows = { contexts: new Map(), prefixes: new Set() }
    known.set(db, rows)
  }
  return rows
}

/** Remembers what a committed transaction stored or found. */
export function remember(rows: KnownRows, seen: { context?: [digest: string, id: number]; prefixes?: readonly string[] }): void {
  if (rows.contexts.size >= LIMIT) rows.contexts.clear()
  if (rows.prefixes.size >= LIMIT) rows.prefixes.clear()
  if (seen.context) rows.contexts.set(seen.context[0], seen.context[1])
  for (const prefix of seen.prefixes ?? []) rows.prefixes.add(prefix)
}
