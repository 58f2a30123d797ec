/**
 * `npm run openapi`: writes openapi/openapi.yaml from the route schemas (the same document the
 * service serves at /openapi.json). Uses DATABASE_URL, or an embedded PostgreSQL server for the run.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, chmod, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from '../src/app.js'
import { configWithDefaults } from '../src/config.js'
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js'
import { projectRoot } from '../src/paths.js'
import { openapiYaml } from '../src/plugins/openapi-yaml.js'

const dataDir = process.env.DATABASE_URL ? undefined : await mkdtemp(join(tmpdir(), 'nguon-openapi-'))
if (dataDir) await chmod(dataDir, 0o755)
const embedded = dataDir ? await startEmbeddedPostgres({ dataDir, persistent: false }) : undefined
const app = await build({
  // A throwaway operator key: without one the app would create a bootstrap key in DATA_DIR.
  config: {
    ...configWithDefaults({ LOG_LEVEL: 'silent', CAPTURE_WORKER_CONCURRENCY: 0, ADMIN_API_KEY: randomBytes(32).toString('base64url') }),
    DATABASE_URL: process.env.DATABASE_URL ?? embedded!.connectionString,
  },
})
try {
  await app.ready()
  const target = join(projectRoot, 'openapi', 'openapi.yaml')
  await writeFile(target, openapiYaml(app.swagger()))
  console.log(`wrote ${target}`)
} finally {
  await app.close()
  await embedded?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
}
