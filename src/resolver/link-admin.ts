import type { ResolverLinkSetRow, StoredResolverLink } from '../db/tables/resolver-link-set.js'
import { ERRORS, type ProblemItem } from '../errors.js'
import { isRegistrableLinkType, linkTypeCurie, linkTypeName } from './link-type.js'

/** A link as an enterprise registers it: the stored shape, with the link type as CURIE or IRI. */
export type LinkInput = StoredResolverLink

export interface LinkSetInputBody {
  itemDescription: string
  defaultLinkType?: string
  links: LinkInput[]
}

/** Link types the repository provides itself, which an owner may name as default without registering them. */
const AUTOMATIC_TYPES = new Set(['traceability', 'epcis'])

/** An absolute http(s) URL, normalised (non-ASCII percent-encoded), or undefined. */
export function absoluteHttpUrl(href: string): string | undefined {
  let url: URL
  try {
    url = new URL(href)
  } catch {
    return undefined
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : undefined
}

/** Checks a link set against the GS1 Web Vocabulary and the URL rules; answers what is stored. */
export function validateLinkSet(body: LinkSetInputBody): { links: StoredResolverLink[]; defaultLinkType: string | null } {
  const errors: ProblemItem[] = []
  const links: StoredResolverLink[] = []
  body.links.forEach((link, index) => {
    const name = linkTypeName(link.linkType)
    if (name === undefined) {
      errors.push({ pointer: `/links/${index}/linkType`, message: `"${link.linkType}" is not a link type of the GS1 Web Vocabulary` })
    } else if (!isRegistrableLinkType(name)) {
      errors.push({ pointer: `/links/${index}/linkType`, message: `gs1:${name} is assigned by the resolver; use defaultLinkType` })
    }
    const href = absoluteHttpUrl(link.href)
    if (href === undefined) errors.push({ pointer: `/links/${index}/href`, message: 'must be an absolute http or https URL' })
    if (name === undefined || href === undefined) return
    links.push({
      linkType: name,
      href,
      title: link.title,
      ...(link.type ? { type: link.type } : {}),
      ...(link.hreflang?.length ? { hreflang: link.hreflang } : {}),
      ...(link.context?.length ? { context: link.context } : {}),
      ...(link.fwqs === false ? { fwqs: false } : {}),
    })
  })
  let defaultLinkType: string | null = null
  if (body.defaultLinkType !== undefined) {
    const name = linkTypeName(body.defaultLinkType)
    if (name === undefined || !isRegistrableLinkType(name)) {
      errors.push({ pointer: '/defaultLinkType', message: `"${body.defaultLinkType}" is not a link type of the GS1 Web Vocabulary` })
    } else if (!AUTOMATIC_TYPES.has(name) && !body.links.some((link) => linkTypeName(link.linkType) === name)) {
      errors.push({ pointer: '/defaultLinkType', message: `no link of type gs1:${name} is given` })
    } else {
      defaultLinkType = name
    }
  }
  if (errors.length) throw ERRORS.validation('The link set is not valid', errors)
  return { links, defaultLinkType }
}

export function linkSetView(row: ResolverLinkSetRow, origin: string) {
  return {
    identifier: row.identifier,
    digitalLink: `${origin}${row.identifier}`,
    itemDescription: row.item_description,
    defaultLinkType: row.default_link_type === null ? null : linkTypeCurie(row.default_link_type),
    links: row.links.map((link) => ({ ...link, linkType: linkTypeCurie(link.linkType) })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
