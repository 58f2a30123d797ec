import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import accepts from 'accepts'
import fp from 'fastify-plugin'
import { renderProblemXml } from '../epcis/xml/index.js'
import { isDatabaseUnavailable } from '../db/connection-errors.js'
import { ERRORS, isEpcisError, type EpcisExceptionName, type ProblemItem } from '../errors.js'
import { requestPath } from '../http/public-url.js'
import { schemaErrorMessage, schemaErrorsText } from '../http/validation-messages.js'

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  errors?: ProblemItem[]
}

declare module 'fastify' {
  interface FastifyReply {
    /** Replaces the default problem serialisation (the XML binding renders application/problem+xml). */
    problemRenderer?: (problem: Problem) => { contentType: string; body: string } | undefined
  }
}

const TITLES: Record<EpcisExceptionName, string> = {
  ValidationException: 'The input is not valid',
  CaptureLimitExceededException: 'The capture is larger than this repository accepts',
  UnsupportedMediaTypeException: 'Unsupported media type',
  NotAcceptableException: 'Not acceptable',
  QueryParameterException: 'Invalid query parameter',
  QueryTooLargeException: 'The query result is too large',
  QueryTooComplexException: 'The query is too complex',
  QueryValidationException: 'Invalid query',
  NoSuchResourceException: 'No such resource',
  NoSuchNameException: 'No such name',
  ResourceAlreadyExistsException: 'The resource already exists',
  SecurityException: 'Not allowed',
  SubscriptionControlsException: 'Invalid subscription controls',
  URITooLongException: 'The URI is too long',
  ImplementationException: 'The repository could not answer',
}

const BY_STATUS: Record<number, EpcisExceptionName> = {
  400: 'ValidationException',
  401: 'SecurityException',
  403: 'SecurityException',
  404: 'NoSuchResourceException',
  406: 'NotAcceptableException',
  409: 'ResourceAlreadyExistsException',
  413: 'CaptureLimitExceededException',
  414: 'URITooLongException',
  415: 'UnsupportedMediaTypeException',
}

const FASTIFY_CODES: Record<string, (message: string) => Error> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => ERRORS.captureLimitExceeded('The request body is larger than this repository accepts'),
  FST_ERR_CTP_INVALID_JSON_BODY: (m) => ERRORS.malformedBody(m),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ERRORS.malformedBody('the body is empty'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: (m) => ERRORS.malformedBody(m),
}

/** PostgreSQL SQLSTATEs that are the caller's doing rather than a fault of the service. */
const DATABASE_CODES: Record<string, () => Error> = {
  // query_canceled: the statement ran past STATEMENT_TIMEOUT_MS.
  '57014': () => ERRORS.queryTooComplex('The query ran longer than this repository allows; narrow it with more selective parameters'),
}

/** Titles for coded errors whose exception's general title would mislead. */
const CODE_TITLES: Record<string, string> = {
  EPCIS_ERR_UNAVAILABLE: 'The repository is temporarily unavailable; try again shortly',
}

/** Seconds a client is asked to wait (Retry-After) before it repeats a request answered with 503. */
export const RETRY_AFTER_SECONDS = 5

/** The media types a route's body may have: those its OpenAPI documents, else JSON (every other body is JSON). */
function acceptedMediaTypes(request: FastifyRequest): readonly string[] {
  return request.routeOptions.config?.documentedBody?.mediaTypes ?? ['application/json']
}

function unsupportedMediaType(request: FastifyRequest): Error {
  const received = request.headers['content-type']
  const what = received ? `"${received}"` : 'a body without Content-Type'
  return ERRORS.unsupportedMediaType(`${what}; ${request.method} ${requestPath(request)} accepts ${acceptedMediaTypes(request).join(', ')}`)
}

export function problemFor(error: FastifyError, request: FastifyRequest): Problem {
  const instance = `urn:uuid:${request.id}`
  let known: Error | undefined
  if (isEpcisError(error)) known = error
  else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') known = unsupportedMediaType(request)
  else if (error.code && FASTIFY_CODES[error.code]) known = FASTIFY_CODES[error.code]!(error.message)
  else if (error.code && DATABASE_CODES[error.code]) known = DATABASE_CODES[error.code]!()
  else if (isDatabaseUnavailable(error)) known = ERRORS.unavailable('The database cannot be reached at the moment')
  else if (error instanceof SyntaxError) known = ERRORS.malformedBody(error.message)
  else if (error.validation) {
    const context = error.validationContext
    const items = error.validation.map((v) => ({
      pointer: v.instancePath || (context === 'querystring' ? String(v.params?.missingProperty ?? '') : '/'),
      message: schemaErrorMessage(v),
    }))
    const detail = context ? schemaErrorsText(error.validation, context) : error.message
    known =
      context === 'querystring' || context === 'params'
        ? ERRORS.queryParameter(`Invalid ${context === 'params' ? 'path' : 'query'} parameter: ${detail}`, items)
        : ERRORS.validation(detail, items)
  }
  if (known && isEpcisError(known)) {
    const problem: Problem = {
      type: known.problemType?.type ?? `epcisException:${known.exception}`,
      title: known.problemType?.title ?? CODE_TITLES[known.code] ?? TITLES[known.exception],
      status: known.statusCode,
      detail: known.message,
      instance,
    }
    if (known.errors?.length) problem.errors = known.errors
    return problem
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
  const exception = BY_STATUS[status] ?? 'ImplementationException'
  return {
    type: `epcisException:${exception}`,
    title: TITLES[exception],
    status,
    detail: status === 500 ? 'An internal error occurred; it has been logged with this instance id.' : error.message,
    instance,
  }
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  reply.code(problem.status)
  if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('Retry-After', String(RETRY_AFTER_SECONDS))
  const rendered = reply.problemRenderer?.(problem)
  if (rendered) return reply.type(rendered.contentType).send(rendered.body)
  return reply.type('application/problem+json').send(JSON.stringify(problem))
}

const PROBLEM_TYPES = ['application/problem+json', 'application/json', 'application/problem+xml', 'application/xml', 'text/xml']

/**
 * XML clients get application/problem+xml: those whose Accept header prefers XML, or that send XML
 * and accept anything.
 */
function prefersXml(request: FastifyRequest): boolean {
  const accept = request.headers.accept
  if (!accept || /^\s*\*\/\*\s*$/.test(accept)) return /xml/i.test(request.headers['content-type'] ?? '')
  const chosen = accepts(request.raw).type(PROBLEM_TYPES)
  return typeof chosen === 'string' && chosen.endsWith('xml')
}

/** One error handler and one not-found handler, both answering RFC 7807 problems with EPCIS exception types. */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (prefersXml(request)) {
        reply.problemRenderer = (problem) => ({ contentType: 'application/problem+xml', body: renderProblemXml({ ...problem }) })
      }
    })
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const problem = problemFor(error, request)
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
      else request.log.info({ problem: problem.type, detail: problem.detail }, 'request rejected')
      return sendProblem(reply, problem)
    })
    app.setNotFoundHandler((request, reply) => {
      return sendProblem(reply, {
        type: 'epcisException:NoSuchResourceException',
        title: TITLES.NoSuchResourceException,
        status: 404,
        detail: `No resource at ${request.method} ${request.url.split('?')[0]}`,
        instance: `urn:uuid:${request.id}`,
      })
    })
  },
  { name: 'problem' },
)
