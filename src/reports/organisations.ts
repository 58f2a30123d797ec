import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { canonicalOrganisationName } from '../federation/organisation-names.js'

/** The registered organisations with their GLNs, PGLNs and company prefixes, to name who a party key or an identifier belongs to. */
export interface OrganisationDirectory {
  name(id: string): string | undefined
  /** The organisation of a party or location key (…/414/<GLN>, …/417/<PGLN>): an exact GLN/PGLN, else the longest company prefix. */
  ofParty(key: string): string | undefined
  /** The organisation whose company prefix starts the identifier's GS1 key digits (its licensee). */
  ofIdentifier(key: string): string | undefined
}

const PARTY = /^https:\/\/id\.gs1\.org\/41[47]\/([0-9]{13})/
const KEY_DIGITS = /^https:\/\/id\.gs1\.org\/(01|00|8003|414|417|8004|253|255|8006|8010|8017|8018)\/([0-9]+)/

export async function organisationDirectory(db: Db): Promise<OrganisationDirectory> {
  const [organisations, identifiers] = await Promise.all([
    db.selectFrom('organisation').select(['id', 'name']).execute(),
    db.selectFrom('organisation_identifier').select(['organisation_id', 'kind', 'digits']).execute(),
  ])
  const names = new Map(organisations.map((o) => [o.id, o.name]))
  const exact = new Map<string, string>()
  const prefixes = identifiers.filter((i) => i.kind === 'company_prefix').sort((a, b) => b.digits.length - a.digits.length)
  for (const i of identifiers) if (i.kind !== 'company_prefix') exact.set(i.digits, i.organisation_id)
  const byPrefix = (digits: string) => prefixes.find((p) => digits.startsWith(p.digits))?.organisation_id
  return {
    name: (id) => names.get(id),
    ofParty(key) {
      const digits = PARTY.exec(key)?.[1]
      return digits === undefined ? undefined : (exact.get(digits) ?? byPrefix(digits))
    },
    ofIdentifier(key) {
      const match = KEY_DIGITS.exec(key)
      if (!match) return undefined
      // GTIN and SSCC keys start with an indicator or extension digit, GRAI keys with a 0, before the prefix.
      const digits = ['01', '00', '8003'].includes(match[1]!) ? match[2]!.slice(1) : match[2]!
      return byPrefix(digits) ?? (['414', '417'].includes(match[1]!) ? exact.get(match[2]!) : undefined)
    },
  }
}

/**
 * Parties no organisation here stands for, named as the recorder of events forwarded from another repository names
 * them (their GLN / PGLN as a Digital Link, src/federation/organisation-names.ts): for each such party key, that
 * name, when some forwarded event here was recorded by it. So a step missing from an enterprise registered only
 * elsewhere is counted against the enterprise the reports name as recorder of its other steps.
 */
export async function forwardedRecorders(db: Db, directory: OrganisationDirectory, parties: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const party of parties) {
    const digits = PARTY.exec(party)?.[1]
    if (digits !== undefined && directory.ofParty(party) === undefined) names.set(party, canonicalOrganisationName(`https://id.gs1.org/417/${digits}`))
  }
  if (names.size === 0) return names
  const { rows } = await sql<{ name: string }>`
    SELECT n.name FROM unnest(${[...new Set(names.values())]}::text[]) AS n(name)
    WHERE EXISTS (SELECT 1 FROM event_provenance p WHERE p.origin_organisation = n.name)`.execute(db)
  const known = new Set(rows.map((r) => r.name))
  for (const [party, name] of names) if (!known.has(name)) names.delete(party)
  return names
}
