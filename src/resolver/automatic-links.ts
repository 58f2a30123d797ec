import type { KeyLevel } from './key-levels.js'
import type { ResolverLink } from './link-choice.js'

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

/**
 * The links every identifier the repository has seen gets without registration: its events
 * (gs1:epcis) and the consumer page that tells where it came from (gs1:traceability).
 */
export function automaticLinks(level: KeyLevel, base: string): ResolverLink[] {
  const links: ResolverLink[] = [
    {
      linkType: 'traceability',
      href: `${base}${traceabilityPagePath(level)}`,
      title: 'Nguồn gốc sản phẩm / Product origin',
      type: 'text/html',
    },
  ]
  const events = epcisQueryPath(level)
  // The EPCIS query interface refuses parameters it does not know (linkType, ...): no query string passed on.
  if (events) links.push({ linkType: 'epcis', href: `${base}${events}`, title: 'EPCIS events', type: 'application/ld+json', fwqs: false })
  return links
}
