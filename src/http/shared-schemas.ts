/** Schemas shared by routes through $ref; registered once with addSchema. */
export const problemSchema = {
  $id: 'problem',
  type: 'object',
  description: 'An RFC 7807 problem whose type is an EPCIS 2.0 exception (epcisException:...).',
  properties: {
    type: { type: 'string', examples: ['epcisException:ValidationException'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          pointer: { type: 'string', description: 'JSON pointer into the input, or the parameter' },
          message: { type: 'string' },
          eventIndex: { type: 'integer' },
        },
      },
    },
  },
  required: ['type', 'title', 'status'],
} as const

export const epcisDocumentSchema = {
  $id: 'epcis-document',
  description:
    'An EPCIS 2.0 EPCISDocument or EPCISQueryDocument in JSON-LD, validated by the service against the official GS1 ' +
    'EPCIS 2.0 JSON Schema (https://ref.gs1.org/standards/epcis/2.0.0/epcis-json-schema.json).',
  type: 'object',
  additionalProperties: true,
  properties: {
    '@context': {},
    type: { type: 'string', enum: ['EPCISDocument', 'EPCISQueryDocument'] },
    schemaVersion: { type: 'string' },
    creationDate: { type: 'string', format: 'date-time' },
    epcisHeader: { type: 'object', additionalProperties: true },
    epcisBody: { type: 'object', additionalProperties: true },
  },
} as const

export const epcisEventSchema = {
  $id: 'epcis-event',
  description: 'One EPCIS 2.0 event in JSON-LD with its @context, validated against the GS1 EPCIS 2.0 JSON Schema.',
  type: 'object',
  additionalProperties: true,
  properties: {
    '@context': {},
    type: { type: 'string' },
    eventTime: { type: 'string', format: 'date-time' },
    eventTimeZoneOffset: { type: 'string' },
  },
} as const

export const problemResponses = {
  400: { $ref: 'problem#' },
  401: { $ref: 'problem#' },
  403: { $ref: 'problem#' },
  404: { $ref: 'problem#' },
  406: { $ref: 'problem#' },
  413: { $ref: 'problem#' },
  415: { $ref: 'problem#' },
  500: { $ref: 'problem#' },
} as const

export const sharedSchemas = [problemSchema, epcisDocumentSchema, epcisEventSchema]

/** The query string of a paged list: `perPage` and the `nextPageToken` from the previous page's Link header. */
export const pagingQuerystring = (maxPerPage: number) =>
  ({
    type: 'object',
    additionalProperties: false,
    properties: {
      perPage: { type: 'integer', minimum: 1, maximum: maxPerPage, description: 'How many members one page holds' },
      nextPageToken: { type: 'string', maxLength: 4096, description: 'The token from the previous page\'s Link header' },
    },
  }) as const
