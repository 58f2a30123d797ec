import t from 'tap'
import { QUERY_PARAMETER_NAMES } from '../../src/query/params.js'
import { build } from '../helper.js'

type Operation = { parameters?: Array<{ name: string; in: string; description?: string }> }

t.test('the OpenAPI lists every query parameter, and every family, with a description', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const spec = app.swagger() as { paths: Record<string, Record<string, Operation>> }
  const families = ['EQ_bizTransaction_{type}', 'EQ_source_{type}', 'EQ_destination_{type}', 'EQ_quantity_{uom}', 'EQ_{field}',
    'EQ_INNER_{field}', 'EQ_ILMD_{field}', 'EQ_ERROR_DECLARATION_{field}', 'EQ_readPoint_{field}', 'EQ_bizLocation_{field}',
    'HASATTR_{field}', 'EQ_ATTR_{field}_{attribute}', 'EQ_value_{uom}', 'GT_minValue_{uom}', 'EQ_SENSORREPORT_{field}']
  for (const path of ['/events', '/eventTypes/{eventType}/events', '/epcs/{epc}/events', '/bizLocations/{bizLocation}/events']) {
    const documented = new Map((spec.paths[path]?.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.description]))
    for (const name of [...QUERY_PARAMETER_NAMES, ...families]) t.ok(documented.get(name), `${path} documents ${name}`)
  }
  for (const [path, methods] of [['/queries', ['get', 'post']], ['/queries/{queryName}', ['get', 'delete']], ['/nextPageToken/{token}', ['delete']]] as const) {
    for (const method of methods) t.ok(spec.paths[path]?.[method], `${method.toUpperCase()} ${path}`)
  }
})
