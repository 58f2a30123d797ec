import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { FastifyRequest } from 'fastify'
import { publicUrl } from '../http/public-url.js'
import { pagingQuerystring, problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { checkText } from '../query/param-values.js'
import { everyEvent, type EventVisibility } from '../traceability/visibility.js'
import { entryView, eventProofs } from './proof.js'
import { listEntries } from './repository.js'
import { entrySchema, proofSchema, verificationSchema } from './schemas.js'
import { verifyLedger } from './verify.js'

export interface LedgerRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
  /** The events the caller may see (proofs of other events answer 404). */
  visibility?: (request: FastifyRequest) => EventVisibility
}

/** The tamper-evident ledger: the chain for auditors, its verification, and inclusion proofs of events. */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: LedgerRoutesOptions }> = async (app, options) => {
  app.get(
    '/audit/ledger',
    {
      config: { auth: { roles: ['auditor'] }, workClass: 'query' },
      schema: {
        summary: 'The ledger entries in chain order',
        description: 'One entry per capture that stored events. The next page is in the Link rel="next" header.',
        tags: ['Audit'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: { 200: { type: 'array', items: entrySchema }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const perPage = request.query.perPage ?? options.defaultPerPage
      const after = request.query.nextPageToken
        ? (verifyCursor(app.pageTokenKey, request.query.nextPageToken, 'ledger') as { seq: number }).seq
        : 0
      const entries = await listEntries(app.db, after, perPage + 1)
      const page = entries.slice(0, perPage)
      if (entries.length > perPage) {
        const token = signCursor(app.pageTokenKey, 'ledger', { seq: page[page.length - 1]!.seq })
        const next = publicUrl(options.publicBaseUrl, `/audit/ledger?perPage=${perPage}&nextPageToken=${token}`)
        reply.header('Link', `<${next}>; rel="next"`)
      }
      return page.map(entryView)
    },
  )

  app.get(
    '/audit/ledger/verify',
    {
      config: { auth: { roles: ['auditor'] }, workClass: 'query' },
      schema: {
        summary: 'Recompute the ledger from the stored events',
        description:
          'Recomputes every event\'s CBV 2.0 hash from its stored body, every leaf, Merkle root and entry hash, and ' +
          'the chain; checks that every stored event has a leaf. Answers valid, or the first broken link.',
        tags: ['Audit'],
        response: { 200: verificationSchema, ...problemResponses },
      },
    },
    async () => verifyLedger(app.db),
  )

  app.get(
    '/events/:eventID/proof',
    {
      config: { auth: { roles: ['query', 'auditor', 'authority'] }, workClass: 'query' },
      schema: {
        summary: 'An inclusion proof of an event in the ledger',
        tags: ['Audit'],
        params: { type: 'object', properties: { eventID: { type: 'string', maxLength: 2048 } }, required: ['eventID'] },
        response: { 200: proofSchema, ...problemResponses },
      },
    },
    async (request) =>
      eventProofs(app.db, checkText('eventID', request.params.eventID), options.visibility?.(request) ?? everyEvent),
  )
}

export default routes
