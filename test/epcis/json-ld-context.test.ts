import { sql } from 'kysely'
import t from 'tap'
import { resolveContext } from '../../src/epcis/json-ld-context.js'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'
import { buildWithDatabase, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

t.test('extension names resolve to namespace IRIs through the document context', async (t) => {
  const context = await resolveContext([EPCIS_CONTEXT_URL, { vn: 'https://nguon.example.vn/ns/' }], ['vn:tinh', 'cbvmda:lotNumber', 'https://x.example/y'])
  t.equal(context.expandName('vn:tinh'), 'https://nguon.example.vn/ns/tinh')
  t.equal(context.expandName('cbvmda:lotNumber'), 'urn:epcglobal:cbv:mda:lotNumber', 'GS1 context prefixes work')
  t.equal(context.expandName('https://x.example/y'), 'https://x.example/y', 'absolute IRIs stay')
  t.same(context.namespaces, { vn: 'https://nguon.example.vn/ns/' })
})

t.test('a protected GS1 term keeps its meaning when a document redefines it', async (t) => {
  const context = await resolveContext([EPCIS_CONTEXT_URL, { cbvmda: 'http://example.com/cbvmda/' }], ['cbvmda:lotNumber'])
  t.equal(context.expandName('cbvmda:lotNumber'), 'urn:epcglobal:cbv:mda:lotNumber')
})

t.test('remote contexts other than the GS1 ones are refused, nested imports included', async (t) => {
  const statusOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: { statusCode?: number }) => error.statusCode,
    )
  t.equal(await statusOf(resolveContext(['https://evil.example/c.jsonld'], ['a:b'])), 400)
  t.equal(await statusOf(resolveContext([EPCIS_CONTEXT_URL, { '@import': 'https://evil.example/x' }], ['a:b'])), 400)
  t.equal(await statusOf(resolveContext([EPCIS_CONTEXT_URL, { x: { '@context': 'https://evil.example/y' } }], ['x:b'])), 400)
})

t.test('two documents with different prefixes for one namespace store the same extension content', async (t) => {
  const { app } = await buildWithDatabase(t)
  const ns = 'https://nguon.example.vn/ns/'
  await captureAndWait(app, epcisDocument([objectEvent({ 'a:farm': { 'a:name': 'Trại Bình Minh' } })], [{ a: ns }]))
  await captureAndWait(app, epcisDocument([objectEvent({ 'b:farm': { 'b:name': 'Trại Bình Minh' } })], [{ b: ns }]))
  const rows = await sql<{ extensions: unknown }>`SELECT extensions FROM event ORDER BY id`.execute(app.db)
  t.equal(rows.rows.length, 2)
  t.same(rows.rows[0]!.extensions, { [`${ns}farm`]: { [`${ns}name`]: 'Trại Bình Minh' } })
  t.same(rows.rows[0]!.extensions, rows.rows[1]!.extensions)
  const found = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM event WHERE extensions @> ${JSON.stringify({ [`${ns}farm`]: { [`${ns}name`]: 'Trại Bình Minh' } })}::jsonb`.execute(app.db)
  t.equal(found.rows[0]!.n, 2, 'a query by namespace finds both')
})
