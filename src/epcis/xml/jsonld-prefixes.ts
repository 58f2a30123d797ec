import { GS1_CONTEXT_PREFIXES, GS1_CONTEXT_TERMS } from './gs1-context.js'
import { XML_NAMESPACE_OF_GS1_PREFIX } from './namespaces.js'

/**
 * Chooses the JSON-LD prefix for each XML extension namespace met while converting one document.
 * The document's own prefix is kept unless it would break JSON-LD processing: a prefix the protected GS1
 * context already defines, or one already bound to another namespace elsewhere in the document
 * (XML allows that, a JSON-LD document context does not); those get a numbered variant.
 * Namespaces the GS1 context defines (cbvmda, gs1, ...) use its prefix and need no @context entry.
 */
export class JsonLdPrefixes {
  private readonly iriByPrefix = new Map<string, string>()
  private readonly builtinByIri = new Map<string, string>()
  private readonly used = new Set<string>()

  constructor() {
    for (const [prefix, iri] of GS1_CONTEXT_PREFIXES) this.builtinByIri.set(iri, prefix)
    for (const [prefix, xmlNamespace] of XML_NAMESPACE_OF_GS1_PREFIX) this.builtinByIri.set(xmlNamespace, prefix)
  }

  /** The prefix for `namespace`, written `xmlPrefix` in the XML ('' for a default namespace); marks it used. */
  prefixFor(namespace: string, xmlPrefix: string): string {
    const builtin = this.builtinByIri.get(namespace)
    if (builtin !== undefined) return builtin
    const keepOwn = xmlPrefix !== '' && !GS1_CONTEXT_TERMS.has(xmlPrefix) && !/^xml/i.test(xmlPrefix)
    for (let n = keepOwn ? 0 : 1; ; n += 1) {
      const candidate = n === 0 ? xmlPrefix : xmlPrefix === '' ? `ns${n}` : `${xmlPrefix}_${n}`
      if (GS1_CONTEXT_TERMS.has(candidate)) continue
      const bound = this.iriByPrefix.get(candidate)
      if (bound !== undefined && bound !== namespace) continue
      if (bound === undefined) this.iriByPrefix.set(candidate, namespace)
      this.used.add(candidate)
      return candidate
    }
  }

  /** How many prefixes are in use: it changes exactly when contextEntries() does. */
  get count(): number {
    return this.used.size
  }

  /** One `{ prefix: namespace }` object per namespace used, in the order they were first met. */
  contextEntries(): Record<string, string>[] {
    return this.entriesFor(this.used)
  }

  private entriesFor(prefixes: ReadonlySet<string>): Record<string, string>[] {
    const entries: Record<string, string>[] = []
    for (const [prefix, iri] of this.iriByPrefix) if (prefixes.has(prefix)) entries.push({ [prefix]: iri })
    return entries
  }
}
