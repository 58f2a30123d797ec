import { createHash } from 'node:crypto'
import jsonld from 'jsonld'
import { ERRORS } from '../errors.js'
import { isKnownContextUrl, knownContexts } from './known-contexts.js'

/** A document's @context as given, plus what it means for extension property names. */
export interface ResolvedContext {
  /** The @context exactly as the document gave it (normalised to an array). */
  context: unknown[]
  /** sha-256 of the context's canonical JSON: the cache and storage key. */
  digest: string
  /** Extension namespaces the document declares inline: prefix -> namespace IRI. */
  namespaces: Record<string, string>
  /** Compact property name -> full IRI, for every extension name resolved so far. */
  expandName(name: string): string
}

const documentLoader = async (url: string) => {
  const document = knownContexts.get(url)
  if (document === undefined) throw ERRORS.unknownContext(url)
  return { contextUrl: undefined, documentUrl: url, document }
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

function asArray(context: unknown): unknown[] {
  if (context === undefined || context === null) return []
  return Array.isArray(context) ? context : [context]
}

/** Checks that every remote context is one we hold locally, without any network access. */
function checkRemoteContexts(context: unknown[]): void {
  for (const entry of context) {
    if (typeof entry === 'string' && !isKnownContextUrl(entry)) throw ERRORS.unknownContext(entry)
  }
}

function inlineNamespaces(context: unknown[]): Record<string, string> {
  const namespaces: Record<string, string> = {}
  for (const entry of context) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue
    for (const [prefix, value] of Object.entries(entry as Record<string, unknown>)) {
      if (prefix.startsWith('@')) continue
      const iri = typeof value === 'string' ? value : (value as { '@id'?: unknown } | null)?.['@id']
      if (typeof iri === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(iri)) namespaces[prefix] = iri
    }
  }
  return namespaces
}

/** The terms a remote context protects (the GS1 context protects all of its terms). */
function protectedTerms(url: string): Set<string> {
  const context = (knownContexts.get(url) as { '@context'?: Record<string, unknown> } | undefined)?.['@context'] ?? {}
  const all = context['@protected'] === true
  return new Set(
    Object.entries(context)
      .filter(([term, value]) => !term.startsWith('@') && (all || (value as { '@protected'?: unknown })?.['@protected'] === true))
      .map(([term]) => term),
  )
}

/**
 * The context handed to the JSON-LD processor. JSON-LD 1.1 forbids redefining a protected term of the
 * GS1 context, yet GS1's own examples repeat "gs1" with the same IRI and even give "cbvmda" another
 * one. Rather than refuse such documents, the protected GS1 meaning is kept, as protection intends:
 * inline redefinitions of protected terms are left out here (the document's @context is still stored
 * and returned exactly as sent).
 */
function processingContext(context: unknown[]): unknown[] {
  const locked = new Set<string>()
  return context.map((entry) => {
    if (typeof entry === 'string') {
      for (const term of protectedTerms(entry)) locked.add(term)
      return entry
    }
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry
    return Object.fromEntries(Object.entries(entry).filter(([term]) => !locked.has(term)))
  })
}

class CachedContext implements ResolvedContext {
  private readonly names = new Map<string, string>()
  readonly forProcessing: unknown[]
  constructor(
    readonly context: unknown[],
    readonly digest: string,
    readonly namespaces: Record<string, string>,
  ) {
    this.forProcessing = processingContext(context)
  }

  /** Called after resolveNames() has seen the name; unseen names are returned as given. */
  expandName(name: string): string {
    return this.names.get(name) ?? name
  }

  has(name: string): boolean {
    return this.names.has(name)
  }

  set(name: string, iri: string): void {
    this.names.set(name, iri)
  }
}

const cache = new Map<string, CachedContext>()
const CACHE_LIMIT = 1000

/**
 * Resolves a document's @context once per distinct content. Property names are expanded with the
 * jsonld package (so every JSON-LD 1.1 context feature is honoured), in one call per batch of names
 * not seen before with this context: never one call per event.
 */
export async function resolveContext(rawContext: unknown, names: Iterable<string>): Promise<ResolvedContext> {
  const context = asArray(rawContext)
  checkRemoteContexts(context)
  const digest = createHash('sha256').update(stableStringify(context)).digest('hex')
  let resolved = cache.get(digest)
  if (!resolved) {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    resolved = new CachedContext(context, digest, inlineNamespaces(processingContext(context)))
    cache.set(digest, resolved)
  }
  const unseen = [...new Set(names)].filter((name) => !resolved.has(name))
  if (unseen.length > 0) await expandNames(resolved, unseen)
  return resolved
}

async function expandNames(target: CachedContext, names: string[]): Promise<void> {
  const probe: Record<string, unknown> = { '@context': target.forProcessing }
  names.forEach((name, index) => {
    probe[name] = { '@value': `#${index}` }
  })
  let expanded: unknown[]
  try {
    const options = { documentLoader, safe: false } as unknown as jsonld.Options.Expand
    expanded = (await jsonld.expand(probe as jsonld.JsonLdDocument, options)) as unknown as unknown[]
  } catch (error) {
    if ((error as { exception?: unknown }).exception) throw error
    const cause = (error as { details?: { cause?: unknown } }).details?.cause
    if (cause && (cause as { exception?: unknown }).exception) throw cause
    throw ERRORS.validation(`The JSON-LD @context cannot be processed: ${(error as Error).message}`)
  }
  const node = (expanded[0] ?? {}) as Record<string, Array<{ '@value'?: string }>>
  for (const [iri, values] of Object.entries(node)) {
    const marker = values[0]?.['@value']
    if (typeof marker !== 'string' || !marker.startsWith('#')) continue
    const name = names[Number(marker.slice(1))]
    if (name !== undefined) target.set(name, iri)
  }
  for (const name of names) if (!target.has(name) || target.expandName(name) === name) target.set(name, fallbackIri(target, name))
}

/**
 * JSON-LD 1.1 uses a term as a prefix only when its IRI ends in a delimiter such as '/' or '#'.
 * EPCIS extension namespaces often do not (XML namespaces such as http://ns.example.com/epcis), yet the
 * document plainly declares them as prefixes: such a name is expanded by simple concatenation, as
 * the XML binding would name it.
 */
function fallbackIri(target: CachedContext, name: string): string {
  const colon = name.indexOf(':')
  const namespace = colon > 0 ? target.namespaces[name.slice(0, colon)] : undefined
  return namespace !== undefined && !name.slice(colon + 1).startsWith('//') ? `${namespace}${name.slice(colon + 1)}` : name
}
