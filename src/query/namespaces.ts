import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { isObject } from '../epcis/document.js'
import { schemasDir } from '../paths.js'

/** Namespace prefix -> the namespace IRIs it may stand for (a prefix seen with several IRIs stands for all). */
export type Namespaces = Map<string, string[]>

function prefixesOfContext(context: unknown): Record<string, string> {
  const found: Record<string, string> = {}
  if (!isObject(context)) return found
  for (const [prefix, value] of Object.entries(context)) {
    if (!prefix.startsWith('@') && typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\S*[/#:]$/i.test(value)) found[prefix] = value
  }
  return found
}

/** The namespace prefixes of the ratified EPCIS 2.0 context (gs1, cbv, cbvmda, ...), read once. */
const GS1_PREFIXES = prefixesOfContext(
  (JSON.parse(readFileSync(join(schemasDir, 'gs1', 'context', 'epcis-context.ref.gs1.org-2.0.0.jsonld'), 'utf8')) as {
    '@context'?: unknown
  })['@context'],
)

/**
 * The GS1-Extensions request header: `prefix=namespace` pairs separated by commas (EPCIS 2.0 REST
 * binding). Entries without `=` name extensions without declaring a namespace and are ignored.
 */
export function parseExtensionsHeader(header: string | string[] | undefined): Record<string, string> {
  const declared: Record<string, string> = {}
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const at = part.indexOf('=')
    if (at <= 0) continue
    const prefix = part.slice(0, at).trim()
    const iri = part.slice(at + 1).trim()
    if (/^[A-Za-z_][\w.-]*$/.test(prefix) && /^[a-z][a-z0-9+.-]*:\S+$/i.test(iri)) declared[prefix] = iri
  }
  return declared
}

/** Prefixes declared in a JSON-LD @context given with a named query (an object or an array of them). */
export function contextNamespaces(context: unknown): Record<string, string> {
  return Object.assign({}, ...(Array.isArray(context) ? context : [context]).map(prefixesOfContext))
}

const IRI = /^[a-z][a-z0-9+.-]*:\/\//i

/** The prefix of a `prefix:name` field name; undefined for a full IRI (http://..., urn:...) or a bare name. */
export function prefixOf(fieldName: string): string | undefined {
  if (IRI.test(fieldName) || fieldName.startsWith('urn:')) return undefined
  const match = /^([A-Za-z_][\w.-]*):./.exec(fieldName)
  return match?.[1]
}

/**
 * What each prefix stands for: the request's own declarations first (GS1-Extensions header or a
 * named query's @context), then the GS1 context's prefixes, then every namespace a captured
 * document declared under that prefix.
 */
export async function resolveNamespaces(
  db: Db,
  prefixes: Iterable<string>,
  declared: Record<string, string>,
): Promise<Namespaces> {
  const resolved: Namespaces = new Map()
  const unknown: string[] = []
  for (const prefix of new Set(prefixes)) {
    const iri = Object.hasOwn(declared, prefix) ? declared[prefix] : Object.hasOwn(GS1_PREFIXES, prefix) ? GS1_PREFIXES[prefix] : undefined
    if (iri !== undefined) resolved.set(prefix, [iri])
    else unknown.push(prefix)
  }
  if (unknown.length > 0) {
    const seen = await sql<{ prefix: string; iri: string }>`
      SELECT DISTINCT n.key AS prefix, n.value AS iri
      FROM document_context, jsonb_each_text(document_context.namespaces) AS n
      WHERE n.key = ANY(${unknown}::text[])
      ORDER BY 1, 2`.execute(db)
    for (const { prefix, iri } of seen.rows) resolved.set(prefix, [...(resolved.get(prefix) ?? []), iri])
  }
  return resolved
}
