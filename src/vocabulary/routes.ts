import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { VocabularyElementRow } from '../db/tables/vocabulary-element.js'
import { registerDiscovery } from '../http/discovery.js'
import { publicUrl } from '../http/public-url.js'
import { problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { findElementVersions, findLatestElements } from './repository.js'

export interface VocabularyRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

function element(row: VocabularyElementRow, withVersion: boolean) {
  return {
    id: row.element_id,
    ...(row.attributes.length ? { attributes: row.attributes } : {}),
    ...(row.children.length ? { children: row.children } : {}),
    ...(withVersion ? { recordedAt: row.created_at.toISOString() } : {}),
  }
}

/** Groups rows (already ordered by type) into the EPCIS master-data vocabularyList shape. */
function vocabularyList(rows: VocabularyElementRow[], withVersion = false) {
  const byType = new Map<string, ReturnType<typeof element>[]>()
  for (const row of rows) {
    const list = byType.get(row.vocabulary_type) ?? []
    list.push(element(row, withVersion))
    byType.set(row.vocabulary_type, list)
  }
  return [...byType].map(([type, vocabularyElementList]) => ({ type, vocabularyElementList }))
}

const masterDataResponse = {
  type: 'object',
  properties: { vocabularyList: { type: 'array', items: { type: 'object', additionalProperties: true } } },
} as const

const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: VocabularyRoutesOptions }> = async (app, options) => {
  registerDiscovery(app, '/vocabularies', ['GET'])

  app.get(
    '/vocabularies',
    {
      schema: {
        summary: 'Master data captured in EPCIS document headers (newest version of each element)',
        tags: ['Master data'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            type: { type: 'string', maxLength: 2048, description: 'Vocabulary type URI, e.g. urn:epcglobal:epcis:vtype:BusinessLocation' },
            id: { type: 'string', maxLength: 2048, description: 'Vocabulary element id, e.g. urn:epc:id:sgln:0614141.00777.0' },
            history: { type: 'boolean', description: 'With type and id: every captured version, newest first' },
            perPage: { type: 'integer', minimum: 1, maximum: options.maxPerPage },
            nextPageToken: { type: 'string', maxLength: 2048 },
          },
        },
        response: { 200: masterDataResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { type, id, history, nextPageToken } = request.query
      if (history && type !== undefined && id !== undefined) {
        return { vocabularyList: vocabularyList(await findElementVersions(app.db, type, id), true) }
      }
      const perPage = request.query.perPage ?? options.defaultPerPage
      const scope = `vocabularies:${type ?? ''}:${id ?? ''}`
      const after = nextPageToken ? (verifyCursor(app.pageTokenKey, nextPageToken, scope) as { type: string; id: string }) : undefined
      const rows = await findLatestElements(app.db, { type, id, after, limit: perPage + 1 })
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) {
        const last = page[page.length - 1]!
        const token = signCursor(app.pageTokenKey, scope, { type: last.vocabulary_type, id: last.element_id })
        const params = new URLSearchParams({ ...(type ? { type } : {}), ...(id ? { id } : {}), perPage: String(perPage), nextPageToken: token })
        reply.header('Link', `<${publicUrl(options.publicBaseUrl, `/vocabularies?${params}`)}>; rel="next"`)
      }
      return { vocabularyList: vocabularyList(page) }
    },
  )
}

export default routes
