import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import t from 'tap'
import { copyArray, copyBytes, copyJson, copyLine, copyValue } from '../../src/db/copy-text.js'
import { createTestDatabase } from '../db.js'

const AWKWARD = [
  'plain',
  'tab\there',
  'new\nline',
  'carriage\rreturn',
  'back\\slash',
  '\\N',
  'quote " and \\" and {braces}, commas',
  'NULL',
  '',
  'Nguồn – 🐖 \u2028',
]

t.test('values written in COPY text format come back from PostgreSQL exactly', async (t) => {
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  t.teardown(() => client.end())
  await client.query('CREATE TABLE c (t text, a text[], n numeric[], s smallint[], j jsonb, b bytea)')
  const json = JSON.stringify({ text: AWKWARD, nested: { '\t': 1.5 } })
  const bytes = Buffer.from([0, 1, 92, 255])
  const lines = [
    ...AWKWARD.map((text) => copyLine([copyValue(text), copyArray(AWKWARD), copyArray(['1.50', null, '1e3']), copyArray([1, 2]), copyJson(json), copyBytes(bytes)])),
    copyLine([copyValue(null), copyArray([]), copyArray([null]), copyArray([]), copyJson(null), copyBytes(Buffer.alloc(0))]),
  ]
  const stream = client.query(copyFrom('COPY c FROM STDIN'))
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', reject)
    stream.end(lines.join(''))
  })
  const rows = (await client.query<{ t: string | null; a: string[]; n: string; s: number[]; j: unknown; b: Buffer }>(
    'SELECT t, a, n::text, s, j, b FROM c')).rows
  t.same(rows.slice(0, -1).map((r) => r.t), AWKWARD, 'texts')
  for (const row of rows.slice(0, -1)) {
    t.same(row.a, AWKWARD, 'a text array keeps every element')
    t.equal(row.n, '{1.50,NULL,1000}')
    t.same(row.s, [1, 2])
    t.same(row.j, JSON.parse(json))
    t.same(row.b, bytes)
  }
  const last = rows.at(-1)!
  t.equal(last.t, null)
  t.same(last.a, [])
  t.equal(last.n, '{NULL}')
  t.equal(last.j, null)
})
