import { isIP } from 'node:net'
import envSchema from 'env-schema'
import { schemaErrorsText, type SchemaError } from './http/validation-messages.js'
import type { FromSchema } from 'json-schema-to-ts'

export const configSchema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    DATA_DIR: { type: 'string', minLength: 1, default: './.data' },
    LOG_LEVEL: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    PUBLIC_BASE_URL: { type: 'string', pattern: '^https?://[^/]+(/.*)?$' },
    CAPTURE_LIMIT: { type: 'integer', minimum: 1, maximum: 1000000, default: 10000 },
    CAPTURE_FILE_SIZE_LIMIT: { type: 'integer', minimum: 1024, maximum: 1073741824, default: 67108864 },
    MIGRATE_ON_START: { type: 'boolean', default: true },
    CAPTURE_WORKER_CONCURRENCY: { type: 'integer', minimum: 0, maximum: 64, default: 2 },
    DEFAULT_PER_PAGE: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
    MAX_PER_PAGE: { type: 'integer', minimum: 1, maximum: 100000, default: 1000 },
    DATABASE_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 200, default: 10 },
    QUERY_MAX_COST: { type: 'number', exclusiveMinimum: 0, default: 1000000 },
    STATEMENT_TIMEOUT_MS: { type: 'integer', minimum: 0, maximum: 3600000, default: 30000 },
    JSON_MAX_DEPTH: { type: 'integer', minimum: 8, maximum: 1000, default: 64 },
    RATE_LIMIT_MAX: { type: 'integer', minimum: 0, maximum: 1000000, default: 1200 },
    RATE_LIMIT_WINDOW_MS: { type: 'integer', minimum: 1000, maximum: 86400000, default: 60000 },
    ADMIN_API_KEY: { type: 'string', minLength: 32, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' },
    OIDC_ISSUER: { type: 'string', minLength: 1 },
    OIDC_JWKS_URL: { type: 'string', pattern: '^https?://' },
    OIDC_AUDIENCE: { type: 'string', minLength: 1 },
    OIDC_ORGANISATION_CLAIM: { type: 'string', minLength: 1, default: 'organization' },
    OIDC_ROLES_CLAIM: { type: 'string', minLength: 1, default: 'roles' },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 1000, maximum: 3600000, default: 30000 },
    DATABASE_QUERY_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 200, default: 6 },
    DATABASE_PUBLIC_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 200, default: 4 },
    DATABASE_CAPTURE_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 200, default: 4 },
    DATABASE_HEALTH_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 20, default: 2 },
    QUERY_CONCURRENCY_PER_CALLER: { type: 'integer', minimum: 0, maximum: 1000, default: 3 },
    TRUST_PROXY: { type: 'string', default: 'false' },
    AUTH_FAILURE_LIMIT: { type: 'integer', minimum: 0, maximum: 1000000, default: 20 },
    MAX_EPCS_PER_EVENT: { type: 'integer', minimum: 1, maximum: 1000000, default: 10000 },
    MAX_KEYS_PER_OBJECT: { type: 'integer', minimum: 16, maximum: 1000000, default: 1000 },
    MAX_MASTER_DATA_ELEMENTS: { type: 'integer', minimum: 1, maximum: 1000000, default: 10000 },
    SUBSCRIPTION_DESTINATIONS: { type: 'string', minLength: 1, default: 'public' },
    SUBSCRIPTION_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 100000, default: 500 },
    SUBSCRIPTION_RETRY_MIN_MS: { type: 'integer', minimum: 1, maximum: 86400000, default: 1000 },
    SUBSCRIPTION_RETRY_MAX_MS: { type: 'integer', minimum: 1, maximum: 604800000, default: 3600000 },
    SUBSCRIPTION_FAILING_AFTER_MS: { type: 'integer', minimum: 0, maximum: 31536000000, default: 86400000 },
    SUBSCRIPTION_CONNECT_TIMEOUT_MS: { type: 'integer', minimum: 1, maximum: 600000, default: 5000 },
    SUBSCRIPTION_TIMEOUT_MS: { type: 'integer', minimum: 1, maximum: 600000, default: 30000 },
    SUBSCRIPTION_LEASE_MS: { type: 'integer', minimum: 100, maximum: 3600000, default: 120000 },
    SUBSCRIPTION_POLL_MS: { type: 'integer', minimum: 10, maximum: 3600000, default: 10000 },
    SUBSCRIPTION_CONCURRENCY: { type: 'integer', minimum: 0, maximum: 1000, default: 32 },
    FEDERATION_KEY: { type: 'string', pattern: '^\\s*([0-9A-Fa-f]{64}|[A-Za-z0-9+/]{43}=)\\s*$' },
    FEDERATION_PUSH_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 100000, default: 20000 },
    FEDERATION_PULL_OVERLAP_MS: { type: 'integer', minimum: 0, maximum: 604800000, default: 300000 },
    FEDERATION_PULL_CONCURRENCY: { type: 'integer', minimum: 0, maximum: 100, default: 4 },
    REPORT_SCHEDULE: { type: 'string', default: '0 1 1 * *' },
    REPORT_TIME_ZONE: { type: 'string', minLength: 1, default: 'Asia/Ho_Chi_Minh' },
    REPORT_ORIGIN_DEPTH: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
  },
  additionalProperties: false,
} as const

export type Config = FromSchema<typeof configSchema> & {
  PORT: number
  HOST: string
  DATA_DIR: string
  LOG_LEVEL: string
  CAPTURE_LIMIT: number
  CAPTURE_FILE_SIZE_LIMIT: number
  MIGRATE_ON_START: boolean
  CAPTURE_WORKER_CONCURRENCY: number
  DEFAULT_PER_PAGE: number
  MAX_PER_PAGE: number
  DATABASE_POOL_SIZE: number
  QUERY_MAX_COST: number
  STATEMENT_TIMEOUT_MS: number
  JSON_MAX_DEPTH: number
  RATE_LIMIT_MAX: number
  RATE_LIMIT_WINDOW_MS: number
  OIDC_ORGANISATION_CLAIM: string
  OIDC_ROLES_CLAIM: string
  SHUTDOWN_GRACE_MS: number
  DATABASE_QUERY_POOL_SIZE: number
  DATABASE_PUBLIC_POOL_SIZE: number
  DATABASE_CAPTURE_POOL_SIZE: number
  DATABASE_HEALTH_POOL_SIZE: number
  QUERY_CONCURRENCY_PER_CALLER: number
  TRUST_PROXY: string
  AUTH_FAILURE_LIMIT: number
  MAX_EPCS_PER_EVENT: number
  MAX_KEYS_PER_OBJECT: number
  MAX_MASTER_DATA_ELEMENTS: number
  SUBSCRIPTION_DESTINATIONS: string
  SUBSCRIPTION_BATCH_SIZE: number
  SUBSCRIPTION_RETRY_MIN_MS: number
  SUBSCRIPTION_RETRY_MAX_MS: number
  SUBSCRIPTION_FAILING_AFTER_MS: number
  SUBSCRIPTION_CONNECT_TIMEOUT_MS: number
  SUBSCRIPTION_TIMEOUT_MS: number
  SUBSCRIPTION_LEASE_MS: number
  SUBSCRIPTION_POLL_MS: number
  SUBSCRIPTION_CONCURRENCY: number
  FEDERATION_PUSH_BATCH_SIZE: number
  FEDERATION_PULL_OVERLAP_MS: number
  FEDERATION_PULL_CONCURRENCY: number
  REPORT_SCHEDULE: string
  REPORT_TIME_ZONE: string
  REPORT_ORIGIN_DEPTH: number
}

/** Reads and validates the environment once; a bad value throws with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  let config: Config
  try {
    config = envSchema<Config>({ schema: configSchema, data: env, dotenv: false })
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors
    if (!errors?.length) throw error
    throw new Error(schemaErrorsText(errors, 'env'))
  }
  if (config.MAX_PER_PAGE < config.DEFAULT_PER_PAGE) {
    throw new Error('env/MAX_PER_PAGE must be at least DEFAULT_PER_PAGE')
  }
  if ((config.OIDC_ISSUER === undefined) !== (config.OIDC_JWKS_URL === undefined)) {
    throw new Error('env/OIDC_ISSUER and env/OIDC_JWKS_URL are set together (JWTs are accepted only with both)')
  }
  trustProxy(config.TRUST_PROXY)
  if (config.SUBSCRIPTION_LEASE_MS <= config.SUBSCRIPTION_TIMEOUT_MS) {
    throw new Error('env/SUBSCRIPTION_LEASE_MS must be longer than SUBSCRIPTION_TIMEOUT_MS (a delivery ends before its lease)')
  }
  if (config.SUBSCRIPTION_RETRY_MAX_MS < config.SUBSCRIPTION_RETRY_MIN_MS) {
    throw new Error('env/SUBSCRIPTION_RETRY_MAX_MS must be at least SUBSCRIPTION_RETRY_MIN_MS')
  }
  return config
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal']

/**
 * TRUST_PROXY as Fastify's `trustProxy`: `false` (the default: the peer is the client), `true` (trust every
 * proxy: only when nothing else can reach the service), a hop count, or a comma-separated list of proxy
 * addresses, CIDRs or proxy-addr's names (loopback, linklocal, uniquelocal).
 */
export function trustProxy(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  const text = value.trim()
  if (text === '' || text === 'false') return false
  if (text === 'true') return true
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    return (_address, hop) => hop < hops
  }
  const entries = text.split(',').map((entry) => entry.trim())
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/')
    const family = isIP(address ?? '')
    const bitsValid = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32))
    if (!(PROXY_NAMES.includes(entry) || (family !== 0 && bitsValid && extra === undefined))) {
      throw new Error(`env/TRUST_PROXY: "${entry}" is not true, false, a hop count, an address, a CIDR or ${PROXY_NAMES.join(', ')}`)
    }
  }
  return entries
}

/** Config for code that builds the app without reading the environment (tests, tools). */
export function configWithDefaults(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides }
}
