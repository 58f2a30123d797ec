import { GS1_LINK_TYPES, type LinkTypeTerm } from './link-types.data.js'

/** The GS1 Web Vocabulary namespace; link types are written https://gs1.org/voc/<name> in linksets. */
export const GS1_VOC = 'https://gs1.org/voc/'

/** Spellings of the namespace seen in the wild (the vocabulary is served from ref.gs1.org, older data uses http or www). */
const NAMESPACES = [GS1_VOC, 'http://gs1.org/voc/', 'https://ref.gs1.org/voc/', 'https://www.gs1.org/voc/', 'http://www.gs1.org/voc/']

/**
 * The name of a GS1 link type given as a CURIE (gs1:pip) or a full IRI (https://gs1.org/voc/pip,
 * also on ref.gs1.org or www.gs1.org); undefined when it is not a GS1 Web Vocabulary link type.
 */
export function linkTypeName(value: string): string | undefined {
  const namespace = value.startsWith('gs1:') ? 'gs1:' : NAMESPACES.find((candidate) => value.startsWith(candidate))
  if (namespace === undefined) return undefined
  const name = value.slice(namespace.length)
  return Object.hasOwn(GS1_LINK_TYPES, name) ? name : undefined
}

export function linkTypeTerm(name: string): LinkTypeTerm | undefined {
  return Object.hasOwn(GS1_LINK_TYPES, name) ? GS1_LINK_TYPES[name] : undefined
}

export const linkTypeIri = (name: string): string => `${GS1_VOC}${name}`
export const linkTypeCurie = (name: string): string => `gs1:${name}`

/** Link types an enterprise may register (the resolver-only ones are assigned by the resolver itself). */
export function isRegistrableLinkType(name: string): boolean {
  return linkTypeTerm(name)?.restricted !== 'resolver'
}

export function allLinkTypeNames(): string[] {
  return Object.keys(GS1_LINK_TYPES)
}
