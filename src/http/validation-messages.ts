/** The parts of an ajv error object the messages below read. */
export interface SchemaError {
  keyword: string
  instancePath: string
  message?: string
  params?: Record<string, unknown>
}

/**
 * ajv's message, completed where it does not say enough to fix the input: "must be equal to one of the
 * allowed values" names them.
 */
export function schemaErrorMessage(error: SchemaError): string {
  const message = error.message ?? 'is invalid'
  const allowed = error.params?.allowedValues
  if (error.keyword === 'enum' && Array.isArray(allowed)) {
    return `${message}: ${allowed.map((value) => JSON.stringify(value)).join(', ')}`
  }
  return message
}

/** "env/LOG_LEVEL must be ...: ...", one per error, as ajv's errorsText writes them but with the completed messages. */
export function schemaErrorsText(errors: readonly SchemaError[], dataVar: string): string {
  return errors.map((error) => `${dataVar}${error.instancePath} ${schemaErrorMessage(error)}`).join(', ')
}
