import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { ProblemItem } from '../errors.js'
import { canonicalJson } from '../ledger/canonical-json.js'
import { schemasDir } from '../paths.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

const UNIQUE_KEYWORD = 'nguonUniqueItems'

const schema = withLinearUniqueItems(
  JSON.parse(readFileSync(join(schemasDir, 'gs1', 'EPCIS-JSON-Schema.json'), 'utf8')) as { $id: string },
)

/**
 * Longest string the `uri` format is checked on; a longer one does not match it. ajv-formats' regex takes
 * about 30 ms a megabyte and overflows the stack somewhere past a few megabytes, and no identifier a
 * repository can index is anywhere near this long (see src/epcis/storable.ts).
 */
export const MAX_URI_FORMAT_LENGTH = 65_536


const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true })
addFormats(ajv)
const uriFormat = ajv.formats.uri as (value: string) => boolean
ajv.addFormat('uri', { type: 'string', validate: (value: string) => value.length <= MAX_URI_FORMAT_LENGTH && uriFormat(value) })
ajv.addKeyword({
  keyword: UNIQUE_KEYWORD,
  type: 'array',
  schemaType: 'boolean',
  errors: true,
  validate: function unique(this: unknown, enabled: boolean, data: unknown[]): boolean {
    const self = unique as typeof unique & { errors?: Partial<ErrorObject>[] }
    self.errors = []
    if (!enabled) return true
    const duplicate = firstDuplicate(data)
    if (duplicate === undefined) return true
    const [earlier, later] = duplicate
    self.errors = [
      {
        keyword: 'uniqueItems',
        params: { i: later, j: earlier },
        message: `must NOT have duplicate items (items ## ${earlier} and ${later} are identical)`,
      },
    ]
    return false
  },
})
ajv.addSchema(schema)

/**
 * The GS1 schema with every `uniqueItems: true` replaced by a keyword that checks uniqueness in linear
 * time: ajv compares each item with every other one (an epcList of 100,000 EPCs took 45 s of one core).
 */
function withLinearUniqueItems<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withLinearUniqueItems) as T
  if (node === null || typeof node !== 'object') return node
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'uniqueItems') copy[UNIQUE_KEYWORD] = value
    else copy[key] = withLinearUniqueItems(value)
  }
  return copy as T
}

/**
 * A pair of positions [earlier, later] holding equal items (JSON equality, key order aside), or undefined.
 * Scans from the end as ajv does, so that the pair reported is the one ajv would report.
 */
export function firstDuplicate(items: readonly unknown[]): [number, number] | undefined {
  const seen = new Map<string, number>()
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index]
    const key = typeof item === 'string' ? `s${item}` : `j${canonicalJson(item)}`
    const later = seen.get(key)
    if (later !== undefined) return [index, later]
    seen.set(key, index)
  }
  return undefined
}

function compile(ref: string): ValidateFunction {
  const validate = ajv.getSchema(`${schema.$id}${ref}`)
  if (!validate) throw new Error(`EPCIS JSON Schema has no ${ref}`)
  return validate
}

/** The whole GS1 schema: documents, query documents and standalone events (which must carry @context). */
const validateAny = compile('')
/** One member of an eventList (no @context required). */
const validateListEvent = compile('#/definitions/EPCIS-Document-Event')

const MAX_ERRORS = 10

function describe(errors: ErrorObject[] | null | undefined, prefix = ''): ProblemItem[] {
  const items = (errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => ({ pointer: `${prefix}${e.instancePath}` || '/', message: describeOne(e) }))
  return items.slice(0, MAX_ERRORS)
}

function describeOne(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'additionalProperties') return `${error.message}: '${String(params.additionalProperty)}'`
  if (error.keyword === 'propertyNames') return `property name '${String(params.propertyName)}' is not allowed here`
  if (error.keyword === 'enum') return `${error.message}: ${JSON.stringify(params.allowedValues)}`
  return error.message ?? 'is invalid'
}

export interface ValidationResult {
  valid: boolean
  errors: ProblemItem[]
}

/** Validates a whole document (or a standalone event) against the GS1 EPCIS 2.0 JSON Schema. */
export function validateDocument(document: unknown): ValidationResult {
  const valid = validateAny(document) as boolean
  return { valid, errors: valid ? [] : describe(validateAny.errors) }
}

/** Validates one member of a document's eventList; pointers are made relative to the document. */
export function validateListedEvent(event: unknown, pointerPrefix: string): ValidationResult {
  const valid = validateListEvent(event) as boolean
  return { valid, errors: valid ? [] : describe(validateListEvent.errors, pointerPrefix) }
}
