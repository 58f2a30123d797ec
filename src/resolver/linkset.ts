import type { StoredResolverLink } from '../db/tables/resolver-link-set.js'
import type { ResolverLink } from './link-choice.js'
import { linkTypeIri } from './link-type.js'
import { defaultCandidates, type ResolvedLevel } from './resolution.js'

export const LINKSET_MEDIA_TYPE = 'application/linkset+json'

/** One link target object of an RFC 9264 linkset (the GS1 linkset schema allows no other members). */
export type LinkTarget = Omit<StoredResolverLink, 'linkType'>

export type LinkContext = { anchor: string; itemDescription: string } & { [linkType: string]: LinkTarget[] | string }

export interface Linkset {
  linkset: LinkContext[]
}

export function linkTarget(link: ResolverLink): LinkTarget {
  return {
    href: link.href,
    title: link.title,
    ...(link.type ? { type: link.type } : {}),
    ...(link.hreflang?.length ? { hreflang: [...link.hreflang] } : {}),
    ...(link.context?.length ? { context: [...link.context] } : {}),
    ...(link.fwqs === false ? { fwqs: false } : {}),
  }
}

function linkContext(anchor: string, itemDescription: string, links: readonly ResolverLink[]): LinkContext {
  const context: LinkContext = { anchor, itemDescription }
  for (const link of links) {
    const iri = linkTypeIri(link.linkType)
    const targets = (context[iri] as LinkTarget[] | undefined) ?? []
    targets.push(linkTarget(link))
    context[iri] = targets
  }
  return context
}

/**
 * The RFC 9264 linkset of a request: one link context object per level that has links, the
 * request's own level first, anchored at this resolver's Digital Link of that level. The default
 * link is given once more as gs1:defaultLink (href and title only), and all links of the default
 * type as gs1:defaultLinkMulti when there are several.
 */
export function buildLinkset(origin: string, levels: readonly ResolvedLevel[]): Linkset {
  const defaults = defaultCandidates(levels)
  const linkset: LinkContext[] = []
  levels.forEach((resolved, index) => {
    if (resolved.links.length === 0) return
    const context = linkContext(`${origin}${resolved.level.path}`, resolved.itemDescription, resolved.links)
    if (defaults?.levelIndex === index) {
      context[linkTypeIri('defaultLink')] = [{ href: defaults.designated.href, title: defaults.designated.title }]
      if (defaults.links.length > 1) context[linkTypeIri('defaultLinkMulti')] = defaults.links.map(linkTarget)
    }
    linkset.push(context)
  })
  return { linkset }
}

/** A linkset of just some links of one level (the body of a 300 Multiple Choices answer). */
export function choicesLinkset(origin: string, level: ResolvedLevel, links: readonly ResolverLink[]): Linkset {
  return { linkset: [linkContext(`${origin}${level.level.path}`, level.itemDescription, links)] }
}

export function linksetLinkHeader(origin: string, path: string): string {
  return `<${origin}${path}?linkType=linkset>; rel="linkset"; type="${LINKSET_MEDIA_TYPE}"`
}
