import fc from 'fast-check'
import t from 'tap'
import { auditPath, leafHash, merkleRoot, nodeHash, rootFromAuditPath, verifyInclusion } from '../../src/ledger/merkle.js'

// The leaves and roots of the RFC 6962 reference implementation's tests (certificate-transparency merkle_tree_test).
const VECTOR_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
const VECTOR_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]
const vectorLeaves = VECTOR_LEAVES.map((hex) => leafHash(Buffer.from(hex, 'hex')))

t.test('roots of the RFC 6962 reference vectors, sizes 1 to 8', async (t) => {
  VECTOR_ROOTS.forEach((root, i) => t.equal(merkleRoot(vectorLeaves.slice(0, i + 1)).toString('hex'), root, `size ${i + 1}`))
  t.equal(
    merkleRoot([]).toString('hex'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'the empty tree hashes the empty string',
  )
})

t.test('audit paths of the reference vectors', async (t) => {
  t.same(auditPath(vectorLeaves.slice(0, 1), 0), [])
  t.same(
    auditPath(vectorLeaves, 0).map((h) => h.toString('hex')),
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  )
  // Leaf 5 of 6: its sibling leaf 4, then the root of the first four leaves (the size-4 vector above).
  t.same(
    auditPath(vectorLeaves.slice(0, 6), 5).map((h) => h.toString('hex')),
    ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', VECTOR_ROOTS[3]],
  )
  t.throws(() => auditPath(vectorLeaves, 8), RangeError)
})

const leafSets = fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 70 })

t.test('property: every leaf of any tree has a proof that verifies', async () => {
  fc.assert(
    fc.property(leafSets, (data) => {
      const leaves = data.map((d) => leafHash(d))
      const root = merkleRoot(leaves)
      return leaves.every((leaf, i) => verifyInclusion(leaf, i, leaves.length, auditPath(leaves, i), root))
    }),
  )
})

/** A tree of distinct leaves, one leaf in it, and a byte to flip. */
const proofCase = leafSets
  .map((data) => data.map((d, i) => Buffer.concat([Buffer.from(String(i)), d])))
  .chain((data) => fc.record({ data: fc.constant(data), index: fc.nat(data.length - 1), flip: fc.nat(31), bit: fc.integer({ min: 0, max: 7 }) }))

function flipped(hash: Buffer, byte: number, bit: number): Buffer {
  const copy = Buffer.from(hash)
  copy[byte] = copy[byte]! ^ (1 << bit)
  return copy
}

t.test('property: an altered leaf, path element or root does not verify', async () => {
  fc.assert(
    fc.property(proofCase, fc.nat(), ({ data, index, flip, bit }, pick) => {
      const leaves = data.map((d) => leafHash(d))
      const root = merkleRoot(leaves)
      const path = auditPath(leaves, index)
      const leaf = leaves[index]!
      if (verifyInclusion(flipped(leaf, flip, bit), index, leaves.length, path, root)) return false
      if (verifyInclusion(leaf, index, leaves.length, path, flipped(root, flip, bit))) return false
      if (path.length > 0) {
        const at = pick % path.length
        const altered = path.map((p, i) => (i === at ? flipped(p, flip, bit) : p))
        if (verifyInclusion(leaf, index, leaves.length, altered, root)) return false
        if (verifyInclusion(leaf, index, leaves.length, path.slice(0, -1), root)) return false
      }
      return !verifyInclusion(leaf, index, leaves.length, [...path, root], root)
    }),
  )
})

t.test('property: the root matches the definition (split at the largest power of two below n)', async () => {
  const reference = (leaves: Buffer[]): Buffer => {
    if (leaves.length === 1) return leaves[0]!
    let k = 1
    while (k * 2 < leaves.length) k *= 2
    return nodeHash(reference(leaves.slice(0, k)), reference(leaves.slice(k)))
  }
  fc.assert(fc.property(leafSets, (data) => {
    const leaves = data.map((d) => leafHash(d))
    return merkleRoot(leaves).equals(reference(leaves))
  }))
})

t.test('a path for another tree size or index is refused', async (t) => {
  const leaves = vectorLeaves.slice(0, 7)
  const root = merkleRoot(leaves)
  const path = auditPath(leaves, 6)
  t.ok(verifyInclusion(leaves[6]!, 6, 7, path, root))
  t.notOk(verifyInclusion(leaves[6]!, 5, 7, path, root))
  t.notOk(verifyInclusion(leaves[6]!, 6, 8, path, root))
  t.notOk(verifyInclusion(leaves[6]!, 6, 5, path, root))
  t.equal(rootFromAuditPath(leaves[6]!, 7, 7, path), undefined)
  t.equal(rootFromAuditPath(leaves[6]!, -1, 7, path), undefined)
})

