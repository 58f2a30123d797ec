import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { CompanyPrefixRow } from '../db/tables/company-prefix.js'
import { ERRORS } from '../errors.js'
import { publicUrl } from '../http/public-url.js'
import { pagingQuerystring, problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { deletePrefix, findPrefix, listPrefixes, recordPrefixes } from './repository.js'

export interface CompanyPrefixRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

const prefixView = (row: CompanyPrefixRow) => ({ prefix: row.prefix, source: row.source, createdAt: row.created_at.toISOString() })

const prefixSchema = {
  type: 'object',
  properties: {
    prefix: { type: 'string' },
    source: { type: 'string', enum: ['captured', 'operator'], description: 'learnt from a captured EPC URN, or set here' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['prefix', 'source', 'createdAt'],
} as const

const prefixParams = {
  type: 'object',
  properties: { prefix: { type: 'string', pattern: '^[0-9]{4,12}$', description: 'A GS1 Company Prefix, 4 to 12 digits' } },
  required: ['prefix'],
} as const

/**
 * The GS1 Company Prefixes the repository knows, which it needs to write a Digital Link as an EPC
 * URN (GS1-EPC-Format: Always_EPC_URN). Prefixes of captured EPC URNs are learnt automatically.
 */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: CompanyPrefixRoutesOptions }> = async (app, options) => {
  app.get(
    '/admin/company-prefixes',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        summary: 'List the known GS1 Company Prefixes',
        tags: ['Administration'],
        querystring: pagingQuerystring(options.maxPerPage),
        response: { 200: { type: 'array', items: prefixSchema }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const perPage = request.query.perPage ?? options.defaultPerPage
      const after = request.query.nextPageToken
        ? String(verifyCursor(app.pageTokenKey, request.query.nextPageToken, 'company-prefixes'))
        : undefined
      const rows = await listPrefixes(app.db, perPage + 1, after)
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) {
        const token = signCursor(app.pageTokenKey, 'company-prefixes', page[page.length - 1]!.prefix)
        reply.header('Link', `<${publicUrl(options.publicBaseUrl, `/admin/company-prefixes?perPage=${perPage}&nextPageToken=${token}`)}>; rel="next"`)
      }
      return page.map(prefixView)
    },
  )

  app.put(
    '/admin/company-prefixes/:prefix',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        summary: 'Declare a GS1 Company Prefix',
        tags: ['Administration'],
        params: prefixParams,
        response: { 200: prefixSchema, 201: prefixSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const existed = await findPrefix(app.db, request.params.prefix)
      await recordPrefixes(app.db, [request.params.prefix], 'operator')
      const row = await findPrefix(app.db, request.params.prefix)
      return reply.code(existed ? 200 : 201).send(prefixView(row!))
    },
  )

  app.delete(
    '/admin/company-prefixes/:prefix',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        summary: 'Forget a GS1 Company Prefix',
        tags: ['Administration'],
        params: prefixParams,
        response: { 204: { description: 'Forgotten' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!(await deletePrefix(app.db, request.params.prefix))) {
        throw ERRORS.noSuchResource(`Company prefix ${request.params.prefix} is not known`)
      }
      return reply.code(204).send()
    },
  )
}

export default routes
