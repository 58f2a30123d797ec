import type { Db } from '../db/database.js'
import type { ResolverLinkSetRow } from '../db/tables/resolver-link-set.js'
import { automaticLinks } from './automatic-links.js'
import { describeElements, type KeyLevel } from './key-levels.js'
import { chooseLink, type Choice, type ResolverLink } from './link-choice.js'
import type { Preferences } from './preferences.js'
import { findLinkSets, seenLevels, sourceDestinationUses } from './repository.js'

/** What the resolver knows about one level of the requested key. */
export interface ResolvedLevel {
  readonly level: KeyLevel
  readonly itemDescription: string
  /** Registered links, then the automatic ones of types the owner did not register at this level. */
  readonly links: readonly ResolverLink[]
  /** The owner's default link type for this level, if they chose one. */
  readonly defaultLinkType: string | null
}

/** The links of one type at the most granular level that has any. */
export interface Candidates {
  readonly levelIndex: number
  readonly links: readonly ResolverLink[]
}

function storedLinks(row: ResolverLinkSetRow | undefined): ResolverLink[] {
  return (row?.links ?? []).map((link) => ({ ...link }))
}

/**
 * Everything known about each level of a key (most granular first), from registrations and from
 * the events stored. A level nobody described takes its nearest described ancestor's description.
 */
export async function resolveLevels(db: Db, levels: readonly KeyLevel[], base: string): Promise<ResolvedLevel[]> {
  const [rows, seen, lists] = await Promise.all([
    findLinkSets(db, levels.map((l) => l.path)),
    seenLevels(db, levels),
    sourceDestinationUses(db, levels),
  ])
  const byPath = new Map(rows.map((row) => [row.identifier, row]))
  const resolved = levels.map((level, index) => {
    const row = byPath.get(level.path)
    const links = storedLinks(row)
    // A level whose stored key is a coarser level's (/01/g/22/cpv is /01/g to capture) leaves the automatic links to it.
    const ownKey = !levels.slice(index + 1).some((coarser) => coarser.key === level.key)
    if (ownKey && (seen.has(level.key) || lists.has(level.key))) {
      const registered = new Set(links.map((link) => link.linkType))
      const automatic = automaticLinks(level, base, seen.has(level.key), lists.get(level.key))
      links.push(...automatic.filter((link) => !registered.has(link.linkType)))
    }
    return { level, row, links }
  })
  return resolved.map(({ level, row, links }, index) => {
    const ancestor = resolved.slice(index + 1).find((r) => r.row)
    const itemDescription =
      row?.item_description ??
      (ancestor
        ? `${ancestor.row!.item_description}, ${describeElements(level.elements.slice(ancestor.level.elements.length))}`
        : describeElements(level.elements))
    return { level, itemDescription, links, defaultLinkType: row?.default_link_type ?? null }
  })
}

export function hasAnyLink(levels: readonly ResolvedLevel[]): boolean {
  return levels.some((level) => level.links.length > 0)
}

/** Walking up from the request's own level: the first level with links of this type. */
export function candidatesOf(levels: readonly ResolvedLevel[], linkType: string): Candidates | undefined {
  for (let index = 0; index < levels.length; index++) {
    const links = levels[index]!.links.filter((link) => link.linkType === linkType)
    if (links.length) return { levelIndex: index, links }
  }
  return undefined
}

/**
 * The default link type: the owner's choice at the most granular level that made one (and has such
 * links somewhere up the tree), else the traceability page, else the first link type registered at
 * the most granular level that has links.
 */
export function defaultLinkType(levels: readonly ResolvedLevel[]): string | undefined {
  for (const level of levels) {
    if (level.defaultLinkType && candidatesOf(levels, level.defaultLinkType)) return level.defaultLinkType
  }
  if (candidatesOf(levels, 'traceability')) return 'traceability'
  return levels.find((level) => level.links.length)?.links[0]?.linkType
}

/** The default link: the first link of the default type at the level that has them. */
export function defaultCandidates(levels: readonly ResolvedLevel[]): (Candidates & { designated: ResolverLink }) | undefined {
  const type = defaultLinkType(levels)
  const candidates = type === undefined ? undefined : candidatesOf(levels, type)
  return candidates && { ...candidates, designated: candidates.links[0]! }
}

/** Picks the link to redirect to: a requested link type, or the default (which wins ties). */
export function chooseFor(
  levels: readonly ResolvedLevel[],
  linkType: string | undefined,
  preferences: Preferences,
): (Choice & { levelIndex: number }) | undefined {
  if (linkType === undefined) {
    const defaults = defaultCandidates(levels)
    return defaults && { ...chooseLink(defaults.links, preferences, defaults.designated), levelIndex: defaults.levelIndex }
  }
  const candidates = candidatesOf(levels, linkType)
  return candidates && { ...chooseLink(candidates.links, preferences), levelIndex: candidates.levelIndex }
}
