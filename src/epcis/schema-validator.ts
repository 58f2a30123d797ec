import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { ProblemItem } from '../errors.js'
import { schemasDir } from '../paths.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

const schema = JSON.parse(readFileSync(join(schemasDir, 'gs1', 'EPCIS-JSON-Schema.json'), 'utf8')) as { $id: string }

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true })
addFormats(ajv)
ajv.addSchema(schema)

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
