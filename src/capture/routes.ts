import { Readable } from 'node:stream'
import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { ERRORS } from '../errors.js'
import { registerDiscovery } from '../http/discovery.js'
import { publicUrl } from '../http/public-url.js'
import { pagingQuerystring, problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import type { Principal } from '../security/principal.js'
import { listCaptureJobs, type JobOwner } from './job-repository.js'
import { captureJobSchema, captureJobView } from './job-view.js'
import type { CaptureLimits } from './limits.js'
import { acceptCapture, captureSingleEvent, captureSingleXmlEvent, getCaptureJob } from './service.js'
import { withSpooledBody } from './spool.js'
import { acceptXmlCapture } from './xml-capture.js'
import { capturerOf } from './capturer.js'
import { provenanceBelieved } from '../federation/provenance-trust.js'
import { bodyBytes, xmlCaptureDocument, XML_MEDIA_TYPES } from './xml-input.js'

export interface CaptureRoutesOptions {
  captureLimit: number
  captureFileSizeLimit: number
  limits: CaptureLimits
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

const behaviourHeader = {
  type: 'object',
  properties: {
    'gs1-capture-error-behaviour': {
      type: 'string',
      enum: ['rollback', 'proceed', 'ROLLBACK', 'PROCEED'],
      description: 'rollback (default): store nothing if any event is invalid; proceed: store the valid events and list the invalid ones',
    },
  },
} as const

/** Capture jobs are read by their own organisation only; see-everything roles read every job. */
function jobOwner(principal: Principal): JobOwner | undefined {
  return principal.seesEverything ? undefined : { organisationId: principal.organisationId }
}

function behaviourOf(value: string | undefined): CaptureErrorBehaviour {
  return value?.toLowerCase() === 'proceed' ? 'proceed' : 'rollback'
}

const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: CaptureRoutesOptions }> = async (app, options) => {
  const limitHeaders = () => ({
    'GS1-EPCIS-Capture-Limit': String(options.captureLimit),
    'GS1-EPCIS-Capture-File-Size-Limit': String(options.captureFileSizeLimit),
  })
  // Here XML bodies are not collected in memory: /capture spools them to a file and reads that once as a stream
  // (acceptXmlCapture). The size limit is enforced as the bytes come, and at once when Content-Length announces more.
  app.removeContentTypeParser(XML_MEDIA_TYPES)
  app.addContentTypeParser(XML_MEDIA_TYPES, (request, payload, done) => {
    const announced = Number(request.headers['content-length'])
    if (announced > options.captureFileSizeLimit) {
      done(ERRORS.captureLimitExceeded(`The XML document exceeds the size limit of ${options.captureFileSizeLimit} bytes`), undefined)
      return
    }
    done(null, payload)
  })
  registerDiscovery(app, '/capture', ['GET', 'POST'], limitHeaders)
  registerDiscovery(app, '/capture/:captureID', ['GET'])

  app.post(
    '/capture',
    {
      config: {
        auth: { roles: ['capture'] },
        workClass: 'capture',
        checksBodyStrings: true,
        documentedBody: { $ref: 'epcis-document#', mediaTypes: ['application/json', 'application/ld+json', ...XML_MEDIA_TYPES] },
      },
      schema: {
        summary: 'Capture an EPCIS document asynchronously',
        description:
          'Checks the document against the GS1 EPCIS 2.0 JSON Schema and stores it durably, then answers 202 with the ' +
          'capture job in Location; a worker stores the events. Under rollback an invalid document gets 400 and no job.',
        tags: ['Capture'],
        headers: behaviourHeader,
        response: {
          202: { description: 'Accepted; the capture job is at Location' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const behaviour = behaviourOf(request.headers['gs1-capture-error-behaviour'])
      const body: unknown = request.body
      const deps = { db: app.db, pool: app.pool, queue: app.queue, captureLimit: options.captureLimit, limits: options.limits }
      const capturer = capturerOf(request.principal)
      const { captureId } = body instanceof Readable
        ? await withSpooledBody(body, options.captureFileSizeLimit, (file) =>
            acceptXmlCapture(deps, file, behaviour, { maxBytes: options.captureFileSizeLimit, ...capturer }),
          )
        : await acceptCapture(deps, body, behaviour, { ...capturer, assertsProvenance: provenanceBelieved(body, request.principal) })
      app.wakeCaptureWorkers()
      reply.header('Location', publicUrl(options.publicBaseUrl, `/capture/${captureId}`))
      reply.headers(limitHeaders())
      return reply.code(202).send()
    },
  )

  app.get(
    '/capture',
    {
      config: { auth: { roles: ['capture', 'query'] } },
      schema: {
        summary: 'List capture jobs, newest first',
        tags: ['Capture'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: {
          200: { type: 'array', items: captureJobSchema },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const perPage = request.query.perPage ?? options.defaultPerPage
      const owner = jobOwner(request.principal)
      const scope = `capture:${owner?.organisationId ?? '*'}`
      const after = request.query.nextPageToken
        ? (verifyCursor(app.pageTokenKey, request.query.nextPageToken, scope) as { createdAt: string; id: number })
        : undefined
      const jobs = await listCaptureJobs(app.db, perPage + 1, after, owner)
      const page = jobs.slice(0, perPage)
      if (jobs.length > perPage) {
        const last = page[page.length - 1]!
        const token = signCursor(app.pageTokenKey, scope, { createdAt: last.created_at.toISOString(), id: last.id })
        const next = publicUrl(options.publicBaseUrl, `/capture?perPage=${perPage}&nextPageToken=${token}`)
        reply.header('Link', `<${next}>; rel="next"`)
      }
      return page.map(captureJobView)
    },
  )

  app.get(
    '/capture/:captureID',
    {
      config: { auth: { roles: ['capture', 'query'] } },
      schema: {
        summary: 'The state of one capture job',
        tags: ['Capture'],
        params: { type: 'object', properties: { captureID: { type: 'string', maxLength: 100 } }, required: ['captureID'] },
        response: { 200: captureJobSchema, ...problemResponses },
      },
    },
    async (request) => captureJobView(await getCaptureJob(app.db, request.params.captureID, jobOwner(request.principal))),
  )

  app.post(
    '/events',
    {
      config: {
        auth: { roles: ['capture'] },
        workClass: 'capture',
        checksBodyStrings: true,
        documentedBody: { $ref: 'epcis-event#', mediaTypes: ['application/json', 'application/ld+json', ...XML_MEDIA_TYPES] },
      },
      schema: {
        summary: 'Capture one event synchronously',
        description:
          'JSON-LD: one event with its @context. XML: an EPCISDocument holding exactly one event. Answers 201 with the ' +
          'event at Location, or 409 when the same event (eventID and CBV 2.0 event hash) is already stored.',
        tags: ['Capture'],
        response: {
          201: { description: 'Stored; the event is at Location' },
          409: { $ref: 'problem#' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      if (Array.isArray(request.body)) throw ERRORS.validation('POST /events takes one event; send documents to /capture')
      const body: unknown = request.body
      const xml = body instanceof Readable ? await bodyBytes(body, options.captureFileSizeLimit) : undefined
      const { eventId } = xml
        ? await captureSingleXmlEvent(
            app.db,
            await xmlCaptureDocument(xml, options.captureFileSizeLimit),
            capturerOf(request.principal),
            options.limits,
          )
        : await captureSingleEvent(app.db, body, capturerOf(request.principal), options.limits)
      reply.header('Location', publicUrl(options.publicBaseUrl, `/events/${encodeURIComponent(eventId)}`))
      return reply.code(201).send()
    },
  )
}

export default routes
