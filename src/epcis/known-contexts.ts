import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { schemasDir } from '../paths.js'

function load(file: string): unknown {
  return JSON.parse(readFileSync(join(schemasDir, 'gs1', 'context', file), 'utf8'))
}

const ratified = load('epcis-context.ref.gs1.org-2.0.0.jsonld')
const development = load('epcis-context.jsonld')

/** The GS1 context URL that the service writes into the documents it produces. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'

/**
 * Remote contexts served from the local copies under schemas/gs1/context. The service never fetches
 * a context over the network: any other URL is refused.
 */
export const knownContexts: ReadonlyMap<string, unknown> = new Map([
  [EPCIS_CONTEXT_URL, ratified],
  ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', ratified],
  ['https://gs1.github.io/EPCIS/epcis-context.jsonld', development],
])

export function isKnownContextUrl(url: string): boolean {
  return knownContexts.has(url)
}
