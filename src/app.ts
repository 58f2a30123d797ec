import { randomUUID } from 'node:crypto'
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import adminRoutes from './admin/routes.js'
import captureRoutes from './capture/routes.js'
import captureWorker from './capture/worker.js'
import companyPrefixRoutes from './company-prefix/routes.js'
import { trustProxy, type Config } from './config.js'
import consumerPageRoutes from './consumer-page/routes.js'
import { ERRORS } from './errors.js'
import healthRoutes from './health/routes.js'
import rootRoutes from './http/root-routes.js'
import { sharedSchemas } from './http/shared-schemas.js'
import ledgerRoutes from './ledger/routes.js'
import admissionPlugin from './plugins/admission.js'
import databasePlugin from './plugins/database.js'
import drainPlugin from './plugins/drain.js'
import epcisHeaders from './plugins/epcis-headers.js'
import jsonDepth from './plugins/json-depth.js'
import problemPlugin, { problemFor, sendProblem } from './plugins/problem.js'
import queuePlugin from './plugins/queue.js'
import rateLimitPlugin from './plugins/rate-limit.js'
import secretsPlugin from './plugins/secrets.js'
import securityHeaders from './plugins/security-headers.js'
import swaggerPlugin from './plugins/swagger.js'
import queryRoutes from './query/routes.js'
import resolverRoutes from './resolver/routes.js'
import authPlugin from './security/plugin.js'
import { eventVisibility } from './security/visibility.js'
import traceabilityRoutes from './traceability/routes.js'
import vocabularyRoutes from './vocabulary/routes.js'
import { parseJsonBodies } from './http/json-body.js'
import requestValues from './plugins/request-values.js'
import subscriptionsPlugin from './subscriptions/plugin.js'
import subscriptionRoutes from './subscriptions/routes.js'
import { parseDestinationPolicy } from './subscriptions/destination-guard.js'
import reportRoutes from './reports/routes.js'
import reportSchedule from './reports/schedule.js'
import publicationRoutes from './publication/routes.js'
import federationPlugin from './federation/plugin.js'
import peerRoutes from './federation/routes.js'
import { ownRepository } from './federation/provenance-repository.js'

export interface BuildOptions {
  config: Config & { DATABASE_URL: string }
  logger?: FastifyServerOptions['logger']
}

const MAX_PATH_PARAM_LENGTH = 2048

/** Builds the application; never listens (src/server.ts does). */
export async function build({ config, logger = false }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: config.CAPTURE_FILE_SIZE_LIMIT,
    genReqId: () => randomUUID(),
    trustProxy: trustProxy(config.TRUST_PROXY),
    // EPCIS identifiers in path parameters (URNs, Digital Links, URIs) are often longer than find-my-way's 100.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: (error, request, reply) => {
      const problem = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? ERRORS.uriTooLong(`A path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`)
        : ERRORS.validation(`The request is not well-formed: ${error.message}`)
      return sendProblem(reply, problemFor(problem as FastifyError, request))
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<JsonSchemaToTsProvider>()

  app.removeContentTypeParser('text/plain')
  parseJsonBodies(app, config.CAPTURE_FILE_SIZE_LIMIT)
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'buffer', bodyLimit: config.CAPTURE_FILE_SIZE_LIMIT },
    (_request, body, done) => done(null, body),
  )
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id)
  })

  await app.register(problemPlugin)
  await app.register(drainPlugin)
  await app.register(epcisHeaders)
  await app.register(securityHeaders)
  await app.register(jsonDepth, { maxDepth: config.JSON_MAX_DEPTH })
  await app.register(requestValues)
  await app.register(rateLimitPlugin, { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS })
  await app.register(databasePlugin, {
    connectionString: config.DATABASE_URL,
    poolSizes: {
      default: config.DATABASE_POOL_SIZE,
      query: config.DATABASE_QUERY_POOL_SIZE,
      public: config.DATABASE_PUBLIC_POOL_SIZE,
      capture: config.DATABASE_CAPTURE_POOL_SIZE,
      health: config.DATABASE_HEALTH_POOL_SIZE,
    },
    migrate: config.MIGRATE_ON_START,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
  })
  await app.register(secretsPlugin)
  await app.register(admissionPlugin, { queryConcurrencyPerCaller: config.QUERY_CONCURRENCY_PER_CALLER })
  await app.register(authPlugin, {
    adminApiKey: config.ADMIN_API_KEY,
    dataDir: config.DATA_DIR,
    failureLimit: config.AUTH_FAILURE_LIMIT,
    failureWindowMs: config.RATE_LIMIT_WINDOW_MS,
    oidc:
      config.OIDC_ISSUER && config.OIDC_JWKS_URL
        ? {
            issuer: config.OIDC_ISSUER,
            jwksUrl: config.OIDC_JWKS_URL,
            audience: config.OIDC_AUDIENCE,
            organisationClaim: config.OIDC_ORGANISATION_CLAIM,
            rolesClaim: config.OIDC_ROLES_CLAIM,
          }
        : undefined,
  })
  await app.register(queuePlugin, { connectionString: config.DATABASE_URL })
  await app.register(captureWorker, {
    concurrency: config.CAPTURE_WORKER_CONCURRENCY,
    captureLimit: config.CAPTURE_LIMIT,
    // Half the grace period for jobs to finish; the rest to roll back, hand back and close.
    drainMs: config.SHUTDOWN_GRACE_MS / 2,
  })
  await app.register(subscriptionsPlugin, {
    connectionString: config.DATABASE_URL,
    destinations: config.SUBSCRIPTION_DESTINATIONS,
    batchSize: config.SUBSCRIPTION_BATCH_SIZE,
    retryMinMs: config.SUBSCRIPTION_RETRY_MIN_MS,
    retryMaxMs: config.SUBSCRIPTION_RETRY_MAX_MS,
    failingAfterMs: config.SUBSCRIPTION_FAILING_AFTER_MS,
    connectTimeoutMs: config.SUBSCRIPTION_CONNECT_TIMEOUT_MS,
    totalTimeoutMs: config.SUBSCRIPTION_TIMEOUT_MS,
    leaseMs: config.SUBSCRIPTION_LEASE_MS,
    pollMs: config.SUBSCRIPTION_POLL_MS,
    concurrency: config.SUBSCRIPTION_CONCURRENCY,
  })
  const captureLimits = {
    maxEpcsPerEvent: config.MAX_EPCS_PER_EVENT,
    maxKeysPerObject: config.MAX_KEYS_PER_OBJECT,
    maxMasterDataElements: config.MAX_MASTER_DATA_ELEMENTS,
  }
  await app.register(federationPlugin, {
    federationKey: config.FEDERATION_KEY,
    dataDir: config.DATA_DIR,
    repositoryId: ownRepository(config.PUBLIC_BASE_URL),
    destinations: config.SUBSCRIPTION_DESTINATIONS,
    connectTimeoutMs: config.SUBSCRIPTION_CONNECT_TIMEOUT_MS,
    totalTimeoutMs: config.SUBSCRIPTION_TIMEOUT_MS,
    leaseMs: config.SUBSCRIPTION_LEASE_MS,
    pullOverlapMs: config.FEDERATION_PULL_OVERLAP_MS,
    pullConcurrency: config.FEDERATION_PULL_CONCURRENCY,
    captureLimit: config.CAPTURE_LIMIT,
    captureFileSizeLimit: config.CAPTURE_FILE_SIZE_LIMIT,
    limits: captureLimits,
  })
  await app.register(swaggerPlugin)
  for (const schema of sharedSchemas) app.addSchema(schema)

  const paging = {
    publicBaseUrl: config.PUBLIC_BASE_URL,
    defaultPerPage: config.DEFAULT_PER_PAGE,
    maxPerPage: config.MAX_PER_PAGE,
  }
  await app.register(rootRoutes)
  await app.register(healthRoutes)
  await app.register(captureRoutes, {
    ...paging,
    captureLimit: config.CAPTURE_LIMIT,
    captureFileSizeLimit: config.CAPTURE_FILE_SIZE_LIMIT,
    limits: {
      maxEpcsPerEvent: config.MAX_EPCS_PER_EVENT,
      maxKeysPerObject: config.MAX_KEYS_PER_OBJECT,
      maxMasterDataElements: config.MAX_MASTER_DATA_ELEMENTS,
    },
  })
  await app.register(queryRoutes, { ...paging, maxCost: config.QUERY_MAX_COST })
  await app.register(vocabularyRoutes, paging)
  await app.register(companyPrefixRoutes, paging)
  await app.register(traceabilityRoutes, { visibility: (request) => eventVisibility(request.principal) })
  await app.register(resolverRoutes, paging)
  await app.register(ledgerRoutes, { ...paging, visibility: (request) => eventVisibility(request.principal) })
  await app.register(consumerPageRoutes)
  await app.register(adminRoutes, paging)
  await app.register(publicationRoutes, paging)
  await app.register(subscriptionRoutes, {
    ...paging,
    destinations: parseDestinationPolicy(config.SUBSCRIPTION_DESTINATIONS),
    failingAfterMs: config.SUBSCRIPTION_FAILING_AFTER_MS,
  })
  await app.register(peerRoutes, {
    ...paging,
    deps: () => ({
      db: app.db,
      keySource: app.federationKey,
      policy: parseDestinationPolicy(config.SUBSCRIPTION_DESTINATIONS),
      limits: { defaultPerPage: config.DEFAULT_PER_PAGE, maxPerPage: config.MAX_PER_PAGE },
      pushBatchSize: config.FEDERATION_PUSH_BATCH_SIZE,
    }),
  })
  const reportSettings = { originDepth: config.REPORT_ORIGIN_DEPTH, timeZone: config.REPORT_TIME_ZONE }
  await app.register(reportSchedule, { ...reportSettings, cron: config.REPORT_SCHEDULE })
  await app.register(reportRoutes, reportSettings)
  return app
}
