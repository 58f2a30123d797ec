/** A real service instance in a process of its own (for the SIGKILL test): config overrides as JSON in NGUON_TEST_CONFIG. */
import { build } from '../../src/app.js'
import { configWithDefaults } from '../../src/config.js'

const overrides = JSON.parse(process.env.NGUON_TEST_CONFIG ?? '{}') as Record<string, unknown>
const config = configWithDefaults({ LOG_LEVEL: 'silent', ...overrides })
const app = await build({ config: { ...config, DATABASE_URL: process.env.NGUON_TEST_DATABASE_URL! } })
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`READY ${url} ${process.pid}\n`)
