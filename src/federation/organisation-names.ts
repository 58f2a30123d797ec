/**
 * How an organisation is named from one repository to the next. Organisation ids are local (each operator
 * chooses them), so an event's origin organisation travels as its GS1 party identifier: the organisation's
 * PGLN, else its GLN, as the canonical GS1 Digital Link of a party (https://id.gs1.org/417/<13 digits>; the same
 * number names the party and its main location). An organisation with neither is named
 * `urn:nguon:organisation:<local id>`, meaningful together with the origin repository only.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { CANONICAL_DL_ORIGIN } from '../identifiers/index.js'
import { parseOrganisationIdentifier } from '../security/organisation-identifiers.js'

type Executor = Kysely<Database> | Transaction<Database>

const LOCAL_NAME = 'urn:nguon:organisation:'

const partyName = (digits: string) => `${CANONICAL_DL_ORIGIN}/417/${digits}`

/** An organisation name as given (a GLN or PGLN in any form, or any other URI), in the form stored and compared. */
export function canonicalOrganisationName(value: string): string {
  const identifier = parseOrganisationIdentifier(value)
  if (identifier && identifier.kind !== 'company_prefix') return partyName(identifier.digits)
  return value
}

/** The 13 digits of a GLN / PGLN name, if it is one. */
export function partyDigits(name: string): string | undefined {
  const prefix = `${CANONICAL_DL_ORIGIN}/417/`
  return name.startsWith(prefix) ? name.slice(prefix.length) : undefined
}

/** What this repository calls its own organisations when it forwards their events (null: an operator's capture). */
export async function organisationNames(db: Executor, organisationIds: Array<string | null>): Promise<Map<string, string>> {
  const ids = [...new Set(organisationIds.filter((id): id is string => id !== null))]
  const names = new Map(ids.map((id) => [id, `${LOCAL_NAME}${id}`]))
  if (ids.length === 0) return names
  const rows = await db
    .selectFrom('organisation_identifier')
    .select(['organisation_id', 'kind', 'digits'])
    .where('organisation_id', 'in', ids)
    .where('kind', 'in', ['pgln', 'gln'])
    .orderBy('organisation_id')
    .orderBy(sql`kind = 'pgln'`, 'desc')
    .orderBy('digits')
    .execute()
  const named = new Set<string>()
  for (const row of rows) {
    if (named.has(row.organisation_id)) continue
    named.add(row.organisation_id)
    names.set(row.organisation_id, partyName(row.digits))
  }
  return names
}

/**
 * The organisations of this repository that origin names stand for: by GLN / PGLN, else by the longest GS1
 * Company Prefix the number starts with (that organisation owns it). Names of no organisation here are left out.
 */
export async function localOrganisations(db: Executor, names: string[]): Promise<Map<string, string>> {
  const digits = [...new Set(names.map(partyDigits).filter((d): d is string => d !== undefined))]
  const found = new Map<string, string>()
  if (digits.length === 0) return found
  const rows = await sql<{ digits: string; organisation_id: string }>`
    SELECT DISTINCT ON (d.digits) d.digits, i.organisation_id
    FROM unnest(${digits}::text[]) AS d(digits)
    JOIN organisation_identifier i
      ON (i.kind IN ('gln', 'pgln') AND i.digits = d.digits) OR (i.kind = 'company_prefix' AND starts_with(d.digits, i.digits))
    ORDER BY d.digits, (i.kind = 'company_prefix'), length(i.digits) DESC, i.organisation_id`.execute(db)
  const byDigits = new Map(rows.rows.map((row) => [row.digits, row.organisation_id]))
  for (const name of names) {
    const organisation = byDigits.get(partyDigits(name) ?? '')
    if (organisation !== undefined) found.set(name, organisation)
  }
  return found
}
