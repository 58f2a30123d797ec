import { readFileSync } from 'node:fs'

/** The context URL every produced JSON-LD document starts with. */
export const GS1_EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'

const contextFile = new URL('../../../schemas/gs1/context/epcis-context.ref.gs1.org-2.0.0.jsonld', import.meta.url)
const context = (JSON.parse(readFileSync(contextFile, 'utf8')) as { '@context': Record<string, unknown> })['@context']

/**
 * Top-level terms of the GS1 context. It is `@protected`, so a document that redefines any of them
 * (say `{"cbvmda": "urn:epcglobal:cbv:mda"}`) fails JSON-LD processing: such prefixes are never emitted.
 */
export const GS1_CONTEXT_TERMS: ReadonlySet<string> = new Set(Object.keys(context).filter((key) => !key.startsWith('@')))

/** Prefixes the GS1 context itself defines, with their IRIs (epcis, cbv, cbvmda, gs1, rdfs, owl, xsd, dcterms). */
export const GS1_CONTEXT_PREFIXES: ReadonlyMap<string, string> = new Map(
  Object.entries(context).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^(https?|urn):/.test(entry[1])),
)
