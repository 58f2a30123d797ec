import { GS1_CONTEXT_PREFIXES } from './gs1-context.js'
import { XML_NAMESPACE_OF_GS1_PREFIX } from './namespaces.js'
import { isNcName } from './xml-writer.js'

// The cbvmda IRI of the GS1 context (urn:epcglobal:cbv:mda:) is written urn:epcglobal:cbv:mda in XML.
const XML_NAMESPACE_BY_JSONLD_IRI: ReadonlyMap<string, string> = new Map(
  [...XML_NAMESPACE_OF_GS1_PREFIX].flatMap(([prefix, xmlNamespace]) => {
    const iri = GS1_CONTEXT_PREFIXES.get(prefix)
    return iri === undefined ? [] : [[iri, xmlNamespace] as const]
  }),
)

interface ResolvedName {
  namespace: string
  local: string
  preferredPrefix: string
}

/**
 * The JSON-LD side of naming: which namespace IRI a key like `example:myField` stands for, from the
 * document's `@context` (string-valued or `{"@id": ...}` term definitions), then the prefixes the GS1
 * context defines. A key whose prefix is not defined anywhere is, as in JSON-LD, an absolute IRI.
 */
export class JsonLdPrefixMap {
  private constructor(private readonly iriByPrefix: ReadonlyMap<string, string>) {}

  static fromContext(context: unknown): JsonLdPrefixMap {
    return new JsonLdPrefixMap(new Map()).extend(context)
  }

  /** This map with the definitions of `context` layered on top (an event-level `@context`). */
  extend(context: unknown): JsonLdPrefixMap {
    if (context === undefined || context === null) return this
    const map = new Map(this.iriByPrefix)
    collectPrefixes(context, map)
    return new JsonLdPrefixMap(map)
  }

  /** The prefixes the context itself defines (not the GS1 context's), as [prefix, XML namespace]. */
  declared(): [string, string][] {
    return [...this.iriByPrefix].map(([prefix, iri]) => [prefix, XML_NAMESPACE_BY_JSONLD_IRI.get(iri) ?? iri])
  }

  resolve(key: string): ResolvedName | undefined {
    const colon = key.indexOf(':')
    if (colon <= 0) return undefined
    const prefix = key.slice(0, colon)
    const rest = key.slice(colon + 1)
    if (!rest.startsWith('//')) {
      const iri = this.iriByPrefix.get(prefix) ?? GS1_CONTEXT_PREFIXES.get(prefix)
      if (iri !== undefined) {
        const namespace = XML_NAMESPACE_BY_JSONLD_IRI.get(iri) ?? iri
        return isNcName(rest) ? { namespace, local: rest, preferredPrefix: prefix } : undefined
      }
    }
    // An absolute IRI: the namespace ends at its last '/', '#' or ':'.
    const cut = Math.max(key.lastIndexOf('/'), key.lastIndexOf('#'), key.lastIndexOf(':'))
    const local = key.slice(cut + 1)
    if (!isNcName(local)) return undefined
    return { namespace: key.slice(0, cut + 1), local, preferredPrefix: rest.startsWith('//') ? 'ns' : prefix }
  }
}

function collectPrefixes(context: unknown, into: Map<string, string>): void {
  if (Array.isArray(context)) {
    for (const item of context) collectPrefixes(item, into)
    return
  }
  if (typeof context !== 'object' || context === null) return
  for (const [term, definition] of Object.entries(context)) {
    if (term.startsWith('@') || term.includes(':')) continue
    if (typeof definition === 'string') into.set(term, definition)
    else if (typeof definition === 'object' && definition !== null && typeof (definition as { '@id'?: unknown })['@id'] === 'string') {
      into.set(term, (definition as { '@id': string })['@id'])
    }
  }
}

/**
 * The XML side of naming: the prefixes declared on the root element of one output document.
 * A JSON-LD prefix is kept as the XML prefix unless it is taken (by another namespace or a reserved one).
 */
export class XmlPrefixRegistry {
  private readonly namespaceByPrefix = new Map<string, string>()
  private readonly prefixByNamespace = new Map<string, string>()
  private readonly fixed: ReadonlySet<string>

  constructor(fixed: ReadonlyArray<readonly [prefix: string, namespace: string]>) {
    for (const [prefix, namespace] of fixed) this.bind(prefix, namespace)
    this.fixed = new Set(fixed.map(([prefix]) => prefix))
  }

  prefixFor(namespace: string, preferred: string): string {
    const known = this.prefixByNamespace.get(namespace)
    if (known !== undefined) return known
    const base = isNcName(preferred) && !/^xml/i.test(preferred) ? preferred : 'ns'
    for (let n = base === 'ns' ? 1 : 0; ; n += 1) {
      const candidate = n === 0 ? base : `${base}${base === 'ns' ? '' : '_'}${n}`
      if (!this.namespaceByPrefix.has(candidate)) {
        this.bind(candidate, namespace)
        return candidate
      }
    }
  }

  /** `xmlns:prefix` attributes for every namespace bound so far. */
  declarations(): [string, string][] {
    return [...this.namespaceByPrefix].map(([prefix, namespace]) => [`xmlns:${prefix}`, namespace])
  }

  isFixed(prefix: string): boolean {
    return this.fixed.has(prefix)
  }

  private bind(prefix: string, namespace: string): void {
    this.namespaceByPrefix.set(prefix, namespace)
    if (!this.prefixByNamespace.has(namespace)) this.prefixByNamespace.set(namespace, prefix)
  }
}

/** Resolves JSON keys to qualified XML names for one output document. */
export class XmlNaming {
  constructor(
    readonly prefixes: JsonLdPrefixMap,
    readonly registry: XmlPrefixRegistry,
  ) {}

  withContext(context: unknown): XmlNaming {
    return context === undefined ? this : new XmlNaming(this.prefixes.extend(context), this.registry)
  }

  /** `prefix:local` for a namespaced key; undefined when the key has no XML form. */
  qualified(key: string): string | undefined {
    const resolved = this.prefixes.resolve(key)
    if (resolved === undefined) return undefined
    return `${this.registry.prefixFor(resolved.namespace, resolved.preferredPrefix)}:${resolved.local}`
  }

  /** The namespace a key stands for, if any. */
  namespaceOf(key: string): string | undefined {
    return this.prefixes.resolve(key)?.namespace
  }
}
