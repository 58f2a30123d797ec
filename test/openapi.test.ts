import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../src/paths.js'
import { openapiYaml } from '../src/plugins/openapi-yaml.js'
import { build } from './helper.js'

t.test('openapi/openapi.yaml is the document the service generates (run `npm run openapi` after changing a route)', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const committed = readFileSync(join(projectRoot, 'openapi', 'openapi.yaml'), 'utf8')
  t.equal(committed, openapiYaml(app.swagger()))
})

t.test('every route is documented with a summary and its EPCIS problem responses', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const spec = app.swagger() as { paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>> }
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      t.ok(operation.summary, `${method.toUpperCase()} ${path} has a summary`)
    }
  }
  t.ok(spec.paths['/events']?.get?.responses?.['400'], 'GET /events documents its 400')
  const parameters = (spec.paths['/events']?.get as { parameters?: Array<{ name: string; description?: string }> }).parameters ?? []
  for (const name of ['eventType', 'GE_eventTime', 'MATCH_epc', 'EQ_bizStep', 'perPage', 'nextPageToken']) {
    t.ok(parameters.find((p) => p.name === name)?.description, `GET /events documents ${name}`)
  }
})
