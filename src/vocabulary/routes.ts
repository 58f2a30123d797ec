import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { Db } from '../db/database.js'
import type { VocabularyElementRow } from '../db/tables/vocabulary-element.js'
import { registerDiscovery } from '../http/discovery.js'
import { READ_EVENTS } from '../security/route-rules.js'
import { visibilityScope } from '../security/visibility.js'
import { publicUrl, requestPath } from '../http/public-url.js'
import { problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { insertMasterData } from '../capture/event-repository.js'
import { checkAttributes, elementOfPath } from './master-data-input.js'
import { ERRORS } from '../errors.js'
import { masterDataKey } from '../query/indexing/master-data-keys.js'
import { resolveOwners } from './ownership.js'
import {
  elementExists,
  findElementVersions,
  findLatestElements,
  findSettings,
  saveSetting,
  settingKey,
} from './repository.js'

export interface VocabularyRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

type Settings = Awaited<ReturnType<typeof findSettings>>

function element(row: VocabularyElementRow, withVersion: boolean, settings: Settings) {
  const setting = settings.get(settingKey({ type: row.vocabulary_type, id: row.element_id }))
  return {
    id: row.element_id,
    ...(row.attributes.length ? { attributes: row.attributes } : {}),
    ...(row.children.length ? { children: row.children } : {}),
    ...(setting ? { allowCommercialFields: setting.allow_commercial_fields } : {}),
    ...(withVersion ? { recordedAt: row.created_at.toISOString() } : {}),
  }
}

/** Groups rows (already ordered by type) into the EPCIS master-data vocabularyList shape, with owner settings. */
async function vocabularyList(db: Db, rows: VocabularyElementRow[], withVersion = false) {
  const settings = await findSettings(db, rows.map((row) => ({ type: row.vocabulary_type, id: row.element_id })))
  const byType = new Map<string, ReturnType<typeof element>[]>()
  for (const row of rows) {
    const list = byType.get(row.vocabulary_type) ?? []
    list.push(element(row, withVersion, settings))
    byType.set(row.vocabulary_type, list)
  }
  return [...byType].map(([type, vocabularyElementList]) => ({ type, vocabularyElementList }))
}

const masterDataResponse = {
  type: 'object',
  properties: { vocabularyList: { type: 'array', items: { type: 'object', additionalProperties: true } } },
} as const

const elementResponse = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    id: { type: 'string' },
    attributes: { type: 'array', items: { type: 'object', additionalProperties: true } },
    children: { type: 'array', items: { type: 'string' } },
    allowCommercialFields: { type: 'boolean' },
    recordedAt: { type: 'string', format: 'date-time' },
  },
} as const

const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: VocabularyRoutesOptions }> = async (app, options) => {
  registerDiscovery(app, '/vocabularies', ['GET'])

  app.get(
    '/vocabularies',
    {
      config: { auth: READ_EVENTS, workClass: 'query' },
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
      const visibility = visibilityScope(request.principal)
      if (history && type !== undefined && id !== undefined) {
        return { vocabularyList: await vocabularyList(app.db, await findElementVersions(app.db, type, id, visibility), true) }
      }
      const perPage = request.query.perPage ?? options.defaultPerPage
      const scope = `vocabularies:${type ?? ''}:${id ?? ''}:${visibility?.organisationId ?? '*'}`
      const after = nextPageToken ? (verifyCursor(app.pageTokenKey, nextPageToken, scope) as { type: string; id: string }) : undefined
      const rows = await findLatestElements(app.db, { type, id, after, limit: perPage + 1, visibility })
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) {
        const last = page[page.length - 1]!
        const token = signCursor(app.pageTokenKey, scope, { type: last.vocabulary_type, id: last.element_id })
        const params = new URLSearchParams({ ...(type ? { type } : {}), ...(id ? { id } : {}), perPage: String(perPage), nextPageToken: token })
        reply.header('Link', `<${publicUrl(options.publicBaseUrl, `/vocabularies?${params}`)}>; rel="next"`)
      }
      return { vocabularyList: await vocabularyList(app.db, page) }
    },
  )

  app.put(
    '/vocabularies/:type/*',
    {
      config: { auth: { roles: ['capture'] } },
      schema: {
        summary: 'Set the master data of one vocabulary element',
        description:
          'Sets product names, images, location names and addresses without capturing a document: the body becomes the ' +
          'newest version of the element (GET /vocabularies serves it; earlier versions stay in its history). Texts may be ' +
          'plain strings or language-tagged values, e.g. {"id": "urn:epcglobal:cbv:mda#name", "attribute": ' +
          '[{"@value": "Vải thiều Lục Ngạn", "@language": "vi"}, {"@value": "Luc Ngan lychee", "@language": "en"}]}. ' +
          'allowCommercialFields is the owner\'s permission for the consumer page to show commercial fields (prices, ' +
          'promotions, shops); a capture document cannot set it, and a PUT without it sets it to false. The id may contain ' +
          'slashes (https://id.gs1.org/414/...). 201 for an element never seen before, else 200.',
        tags: ['Master data'],
        params: {
          type: 'object',
          properties: {
            type: { type: 'string', description: 'Vocabulary type, e.g. urn:epcglobal:epcis:vtype:EPCClass' },
            '*': { type: 'string', description: 'Element id, e.g. urn:epc:class:lgtin:8934567.012345.LOT7' },
          },
        },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            attributes: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id'],
                properties: { id: { type: 'string', minLength: 1, maxLength: 2048 }, attribute: {} },
              },
            },
            children: { type: 'array', maxItems: 10000, items: { type: 'string', minLength: 1, maxLength: 2048 } },
            allowCommercialFields: { type: 'boolean' },
          },
        },
        response: { 200: elementResponse, 201: elementResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ref = elementOfPath(requestPath(request))
      const attributes = request.body.attributes ?? []
      checkAttributes(attributes)
      const children = request.body.children ?? []
      const caller = request.principal
      const key = masterDataKey(ref.type, ref.id)
      const { row, created, allowCommercialFields } = await app.db.transaction().execute(async (trx) => {
        // The owner of the element's key (src/vocabulary/ownership.ts), whatever the spelling of its id, or this caller.
        const owners = await resolveOwners(trx, [key], caller.organisationId)
        const owner = owners.get(key) ?? null
        if (owner !== null && !caller.roles.includes('admin') && owner !== caller.organisationId) {
          throw ERRORS.forbidden(`${ref.id} is owned by another organisation`)
        }
        const existed = await elementExists(trx, ref)
        await insertMasterData(trx, [{ ...ref, attributes, children }], null, caller.organisationId)
        const setting = await saveSetting(trx, ref, {
          allowCommercialFields: request.body.allowCommercialFields ?? false,
          organisationId: owner ?? caller.organisationId,
        })
        const [newest] = await findElementVersions(trx, ref.type, ref.id)
        return { row: newest!, created: !existed, allowCommercialFields: setting.allow_commercial_fields }
      })
      return reply.code(created ? 201 : 200).send({
        type: row.vocabulary_type,
        id: row.element_id,
        attributes: row.attributes.map((a) => ({ ...a })),
        children: row.children,
        allowCommercialFields,
        recordedAt: row.created_at.toISOString(),
      })
    },
  )
}

export default routes
