import { createHash } from 'node:crypto'
import fc from 'fast-check'
import t from 'tap'
import { canonicalJson } from '../../src/ledger/canonical-json.js'
import { entryHash, entrySerialisation, GENESIS_HASH } from '../../src/ledger/entry.js'
import { bodyDigest, leafData, ledgerLeafHash } from '../../src/ledger/leaf.js'

t.test('canonical JSON sorts keys at every level and drops what JSON drops', async (t) => {
  t.equal(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }, undefined], e: undefined }), '{"a":[{"c":"x","d":null},null],"b":1}')
  t.equal(canonicalJson({ é: 1, z: 2, Z: 3 }), '{"Z":3,"z":2,"é":1}')
})

t.test('property: the body digest survives a JSON round trip with keys reordered (as jsonb stores them)', async () => {
  const reordered = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reordered)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]))
    }
    return value
  }
  fc.assert(
    fc.property(fc.jsonValue(), (value) => bodyDigest(value) === bodyDigest(reordered(JSON.parse(JSON.stringify(value))))),
  )
})

t.test('a leaf is SHA-256(0x00 || eventID LF eventHash LF bodyDigest)', async (t) => {
  const fields = { eventId: 'urn:uuid:1', eventHash: 'ni:///sha-256;ab?ver=CBV2.0', bodyDigest: 'cd'.repeat(32) }
  t.equal(leafData(fields).toString('utf8'), `urn:uuid:1\nni:///sha-256;ab?ver=CBV2.0\n${'cd'.repeat(32)}`)
  const expected = createHash('sha256').update(Buffer.concat([Buffer.from([0]), leafData(fields)])).digest()
  t.same(ledgerLeafHash(fields), expected)
  t.notSame(ledgerLeafHash({ ...fields, eventId: 'urn:uuid:2' }), expected)
})

t.test('an entry hash is SHA-256 of six LF-joined lines', async (t) => {
  const entry = { seq: 1, time: new Date('2026-01-31T08:00:00.000Z'), leafCount: 3, merkleRoot: Buffer.alloc(32, 1), previousHash: GENESIS_HASH }
  const text = entrySerialisation(entry)
  t.equal(text, `nguon-ledger-entry-v1\n1\n2026-01-31T08:00:00.000Z\n3\n${'01'.repeat(32)}\n${'00'.repeat(32)}`)
  t.same(entryHash(entry), createHash('sha256').update(text).digest())
  t.notSame(entryHash({ ...entry, leafCount: 4 }), entryHash(entry))
})
