import { allLinkTypeNames, GS1_VOC, linkTypeCurie, linkTypeIri, linkTypeTerm } from './link-type.js'
import { PRIMARY_KEY_AIS } from './primary-keys.js'

/**
 * The resolver description file served at /.well-known/gs1resolver (GS1-Conformant Resolver
 * standard; members after linkTypeDefaultCanBeLinkset follow GS1 Resolver Community Edition's file).
 */
export function resolverDescription(resolverRoot: string) {
  const activeLinkTypes: Record<string, { title: string; description: string; url: string }> = {}
  for (const name of allLinkTypeNames()) {
    const term = linkTypeTerm(name)!
    activeLinkTypes[linkTypeCurie(name)] = { title: term.title, description: term.description, url: linkTypeIri(name) }
  }
  return {
    name: 'Nguồn GS1-Conformant resolver',
    resolverRoot,
    supportedPrimaryKeys: [...PRIMARY_KEY_AIS],
    supportedLinkType: [{ namespace: GS1_VOC, prefix: 'gs1:' }],
    linkTypeDefaultCanBeLinkset: false,
    supportsLanguageVariants: true,
    supportsSemanticInterpretation: false,
    validatesAIcombinations: true,
    activeLinkTypes: { en: activeLinkTypes },
  }
}
