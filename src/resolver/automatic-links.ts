import { toBareWordForm } from '../epcis/cbv.js'
import type { KeyLevel } from './key-levels.js'
import type { ResolverLink } from './link-choice.js'
import type { ListUse } from './repository.js'

/** The consumer traceability page of a key (served by the traceability module). */
export function traceabilityPagePath(level: Pick<KeyLevel, 'path'>): string {
  return `/traceability/page${level.path}`
}

/** The EPCIS query that finds a key's events: by EPC, by class, or by business location. */
export function epcisQueryPath(level: Pick<KeyLevel, 'key' | 'kind'>): string | undefined {
  const parameter =
    level.kind === 'instance' ? 'MATCH_anyEPC' : level.kind === 'class' ? 'MATCH_anyEPCClass' : level.kind === 'location' ? 'EQ_bizLocation' : undefined
  return parameter && `/events?${parameter}=${encodeURIComponent(level.key)}`
}

/** The EPCIS query that finds the events naming a party or place in one of its source or destination lists. */
export function listQueryPath(level: Pick<KeyLevel, 'key'>, use: ListUse): string {
  const name = `EQ_${use.list}_${toBareWordForm('sourceDestType', use.type)}`
  return `/events?${encodeURIComponent(name)}=${encodeURIComponent(level.key)}`
}

/**
 * The links every identifier the repository has seen gets without registration: its events
 * (gs1:epcis) and the consumer page that tells where it came from (gs1:traceability). `named`:
 * the key appears as an EPC, class, parent, read point or location; `lists`: the source and
 * destination lists it is named in (a party, often named nowhere else), one events link each.
 */
export function automaticLinks(level: KeyLevel, base: string, named = true, lists: readonly ListUse[] = []): ResolverLink[] {
  const links: ResolverLink[] = [
    {
      linkType: 'traceability',
      href: `${base}${traceabilityPagePath(level)}`,
      title: 'Nguồn gốc sản phẩm / Product origin',
      type: 'text/html',
      keyPath: true,
    },
  ]
  const events = named ? epcisQueryPath(level) : undefined
  // The EPCIS query interface refuses parameters it does not know (linkType, ...): no query string passed on.
  if (events) links.push({ linkType: 'epcis', href: `${base}${events}`, title: 'EPCIS events', type: 'application/ld+json', fwqs: false })
  for (const use of lists) {
    const title = `EPCIS events (${use.list} ${toBareWordForm('sourceDestType', use.type)})`
    links.push({ linkType: 'epcis', href: `${base}${listQueryPath(level, use)}`, title, type: 'application/ld+json', fwqs: false })
  }
  return links
}
