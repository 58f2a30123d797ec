import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import { PRIMARY_KEY_AIS } from '../resolver/primary-keys.js'
import { expandKeyPaths } from './key-path-openapi.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A request body the service validates itself (against the GS1 schema, with EPCIS errors): it is
     * documented in the OpenAPI but not given to Fastify's validator, which would coerce or strip fields.
     */
    documentedBody?: { $ref: string; mediaTypes: string[] }
    /** Query parameters the service parses itself (EPCIS grammar, dynamic names): documented only. */
    documentedQuery?: Record<string, unknown>
  }
}

/** Routes whose wildcard is a whole GS1 key ({ai}/{value}/...); the resolver's (/01/*, ...) are found by their AI. */
const KEY_PATH_PREFIXES = ['/links', '/traceability/page']

export const OPENAPI_INFO = {
  title: 'Nguồn EPCIS 2.0 repository',
  version: '0.1.0',
  description:
    'A GS1 EPCIS 2.0 event repository: capture EPCIS documents (JSON-LD), query events, read master data. ' +
    'Errors are RFC 7807 problems whose type is the EPCIS exception (epcisException:...).',
}

/** OpenAPI 3.1 generated from the route schemas, served at /openapi.json and browsable at /docs. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: OPENAPI_INFO,
        components: {
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              description: 'An API key (ngk_...) from POST /admin/api-keys, or a JWT from the configured OpenID Connect provider',
            },
          },
        },
        tags: [
          { name: 'Capture', description: 'EPCIS 2.0 capture interface' },
          { name: 'Events', description: 'EPCIS 2.0 query interface' },
          { name: 'Top-level', description: 'EPCIS 2.0 top-level resources: event types, EPCs, business steps, locations, dispositions' },
          { name: 'Queries', description: 'EPCIS 2.0 named queries' },
          { name: 'Master data', description: 'Vocabulary elements from capture documents' },
          { name: 'Discovery', description: 'OPTIONS and top-level resources' },
          { name: 'Health', description: 'Liveness and readiness' },
          { name: 'Administration', description: 'Operator settings' },
          { name: 'Resolver', description: 'GS1-Conformant resolver for GS1 Digital Links, and their QR codes' },
          { name: 'Links', description: 'Links that enterprises register for their GS1 keys' },
          { name: 'Traceability', description: 'Lineage, recall and current state of identifiers (extensions to EPCIS)' },
        ],
      },
      transformObject: (documents) =>
        'openapiObject' in documents ? expandKeyPaths(documents.openapiObject, PRIMARY_KEY_AIS, KEY_PATH_PREFIXES) : documents.swaggerObject,
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
      transform: ({ schema, url, route }) => {
        const body = route.config?.documentedBody
        const querystring = route.config?.documentedQuery
        const secured = route.config?.auth !== undefined && route.config.auth !== 'public'
        if ((!body && !querystring && !secured) || !schema) return { schema, url }
        return {
          schema: {
            ...schema,
            ...(secured ? { security: [{ bearer: [] }] } : {}),
            ...(body ? { body, consumes: body.mediaTypes } : {}),
            ...(querystring ? { querystring } : {}),
          } as FastifySchema,
          url,
        }
      },
    })
    await app.register(async (docs) => {
      docs.addHook('onRoute', (route) => {
        route.config = { ...route.config, auth: 'public' }
      })
      await docs.register(swaggerUi, { routePrefix: '/docs', transformSpecification: withoutDiscoveryOperations })
    })
    app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'swagger' },
)

/**
 * The document /docs browses: the whole OpenAPI less the OPTIONS (discovery) operations, which stay in
 * /openapi.json. With every operation, Swagger UI stopped rendering after the twelfth (seen in Chromium at about 140
 * operations, without any error), so an auditor could not reach most of them; OPTIONS has nothing to try out.
 */
function withoutDiscoveryOperations(document: Record<string, unknown>): Record<string, unknown> {
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>
  for (const item of Object.values(paths)) delete item.options
  const tags = document.tags as Array<{ name: string }> | undefined
  return { ...document, ...(tags ? { tags: tags.filter((tag) => tag.name !== 'Discovery') } : {}) }
}
