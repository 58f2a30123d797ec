import createError from '@fastify/error'

/** The EPCIS 2.0 exception names, exactly as the GS1 OpenAPI spells them. */
export type EpcisExceptionName =
  | 'ValidationException'
  | 'CaptureLimitExceededException'
  | 'UnsupportedMediaTypeException'
  | 'NotAcceptableException'
  | 'QueryParameterException'
  | 'QueryTooLargeException'
  | 'QueryTooComplexException'
  | 'QueryValidationException'
  | 'NoSuchResourceException'
  | 'NoSuchNameException'
  | 'ResourceAlreadyExistsException'
  | 'SecurityException'
  | 'SubscriptionControlsException'
  | 'URITooLongException'
  | 'ImplementationException'

export interface ProblemItem {
  /** JSON pointer into the submitted document, or the parameter name. */
  pointer?: string
  message: string
  eventIndex?: number
}

export interface EpcisError extends Error {
  code: string
  statusCode: number
  exception: EpcisExceptionName
  errors?: ProblemItem[]
  /** A problem type and title other than the EPCIS exception's, for answers the EPCIS standard has no exception for. */
  problemType?: { type: string; title: string }
}

type Factory = new (...args: (string | number)[]) => Error & { code: string; statusCode: number }

function define(code: string, message: string, statusCode: number, exception: EpcisExceptionName) {
  const Base = createError(code, message, statusCode) as unknown as Factory
  return (detail: string | number = '', errors?: ProblemItem[]): EpcisError => {
    const error = new Base(detail) as EpcisError
    error.exception = exception
    if (errors) error.errors = errors
    return error
  }
}

function withProblemType(factory: ReturnType<typeof define>, problemType: { type: string; title: string }) {
  return (detail: string | number = '', errors?: ProblemItem[]): EpcisError => Object.assign(factory(detail, errors), { problemType })
}

/** Every coded error the service raises; one status and one EPCIS exception each. */
export const ERRORS = {
  validation: define('EPCIS_ERR_VALIDATION', '%s', 400, 'ValidationException'),
  malformedBody: define('EPCIS_ERR_MALFORMED_BODY', 'The request body is not well-formed: %s', 400, 'ValidationException'),
  unknownContext: define('EPCIS_ERR_UNKNOWN_CONTEXT', 'Unsupported JSON-LD context: %s', 400, 'ValidationException'),
  captureLimitExceeded: define('EPCIS_ERR_CAPTURE_LIMIT', '%s', 413, 'CaptureLimitExceededException'),
  unsupportedMediaType: define('EPCIS_ERR_MEDIA_TYPE', 'Unsupported media type: %s', 415, 'UnsupportedMediaTypeException'),
  notAcceptable: define('EPCIS_ERR_NOT_ACCEPTABLE', 'None of the acceptable media types can be produced: %s', 406, 'NotAcceptableException'),
  queryParameter: define('EPCIS_ERR_QUERY_PARAMETER', '%s', 400, 'QueryParameterException'),
  queryTooLarge: define('EPCIS_ERR_QUERY_TOO_LARGE', '%s', 413, 'QueryTooLargeException'),
  queryTooComplex: define('EPCIS_ERR_QUERY_TOO_COMPLEX', '%s', 413, 'QueryTooComplexException'),
  noSuchResource: define('EPCIS_ERR_NO_SUCH_RESOURCE', '%s', 404, 'NoSuchResourceException'),
  noSuchName: define('EPCIS_ERR_NO_SUCH_NAME', '%s', 404, 'NoSuchNameException'),
  alreadyExists: define('EPCIS_ERR_ALREADY_EXISTS', '%s', 409, 'ResourceAlreadyExistsException'),
  security: define('EPCIS_ERR_SECURITY', '%s', 401, 'SecurityException'),
  forbidden: define('EPCIS_ERR_FORBIDDEN', '%s', 403, 'SecurityException'),
  uriTooLong: define('EPCIS_ERR_URI_TOO_LONG', '%s', 414, 'URITooLongException'),
  methodNotAllowed: define('EPCIS_ERR_METHOD_NOT_ALLOWED', '%s', 405, 'ImplementationException'),
  // EPCIS has no rate-limit exception: RFC 9457's about:blank says the problem is what the status says (see README).
  tooManyRequests: withProblemType(define('EPCIS_ERR_TOO_MANY_REQUESTS', '%s', 429, 'ImplementationException'), {
    type: 'about:blank',
    title: 'Too Many Requests',
  }),
  unavailable: define('EPCIS_ERR_UNAVAILABLE', '%s', 503, 'ImplementationException'),
  /** The same event identity (eventID, CBV 2.0 hash) already stored with other content. */
  identityConflict: define('EPCIS_ERR_IDENTITY_CONFLICT', '%s', 409, 'ResourceAlreadyExistsException'),
  subscriptionControls: define('EPCIS_ERR_SUBSCRIPTION_CONTROLS', '%s', 400, 'SubscriptionControlsException'),
} as const

export function isEpcisError(error: unknown): error is EpcisError {
  return error instanceof Error && typeof (error as EpcisError).exception === 'string'
}
