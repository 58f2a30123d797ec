import { randomBytes } from 'node:crypto'
import t from 'tap'
import { PAGE_TOKEN_LIFETIME_MS, signCursor, verifyCursor } from '../../src/query/page-token.js'

const key = randomBytes(32)

/** The HTTP status of the error a call throws (undefined when it does not throw). */
function statusOf(fn: () => unknown): number | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as { statusCode?: number }).statusCode
  }
}

t.test('a token round-trips its cursor within its scope', async (t) => {
  const token = signCursor(key, 'events:abc', { id: 42 })
  t.same(verifyCursor(key, token, 'events:abc'), { id: 42 })
})

t.test('a token is refused with another key, another scope, a changed payload or after expiry', async (t) => {
  const token = signCursor(key, 'events:abc', 42)
  t.equal(statusOf(() => verifyCursor(randomBytes(32), token, 'events:abc')), 400)
  t.equal(statusOf(() => verifyCursor(key, token, 'events:xyz')), 400)
  const [data, mac] = token.split('.')
  const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(data!, 'base64url').toString()), c: 43 })).toString('base64url')
  t.equal(statusOf(() => verifyCursor(key, `${tampered}.${mac}`, 'events:abc')), 400)
  t.throws(() => verifyCursor(key, token, 'events:abc', Date.now() + PAGE_TOKEN_LIFETIME_MS + 1000), /expired/)
  for (const junk of ['', '.', 'a.b.c', 'not-a-token', '%%%.%%%']) {
    t.equal(statusOf(() => verifyCursor(key, junk, 'events:abc')), 400, junk)
  }
})
