// The vendored GS1 examples and the GS1 JSON Schema, shared by the XML binding tests.
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { ErrorObject } from 'ajv'

const root = fileURLToPath(new URL('../../../', import.meta.url))
export const EXAMPLES = join(root, 'test/fixtures/gs1/epcis-examples')

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)]))
    .sort()
}

export interface Example {
  /** Path below epcis-examples/xml or epcis-examples/json. */
  name: string
  path: string
}

export const XML_EXAMPLES: Example[] = walk(join(EXAMPLES, 'xml'))
  .filter((path) => path.endsWith('.xml'))
  .map((path) => ({ name: relative(join(EXAMPLES, 'xml'), path), path }))

export const JSON_EXAMPLES: Example[] = walk(join(EXAMPLES, 'json'))
  .filter((path) => path.endsWith('.jsonld'))
  .map((path) => ({ name: relative(join(EXAMPLES, 'json'), path), path }))

/** The CaptureJob examples are capture job status reports, not EPCIS documents. */
export const EPCIS_XML_EXAMPLES = XML_EXAMPLES.filter((example) => !example.name.startsWith('CaptureJob/'))

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats(ajv)
const validate = ajv.compile(readJson(join(root, 'schemas/gs1/EPCIS-JSON-Schema.json')))

/** Errors of the GS1 JSON Schema for `document`, without the anyOf/if bookkeeping entries. */
export function jsonSchemaErrors(document: unknown): string[] {
  if (validate(document)) return []
  return (validate.errors ?? [])
    .filter((error: ErrorObject) => !['anyOf', 'oneOf', 'allOf', 'if'].includes(error.keyword))
    .map((error: ErrorObject) => `${error.instancePath} ${error.message ?? ''}`.trim())
}
