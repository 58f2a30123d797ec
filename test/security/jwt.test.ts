import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import t from 'tap'
import { build, type TestContext } from '../helper.js'

const ISSUER = 'https://idp.example.vn/realms/nguon'
const AUDIENCE = 'nguon-api'

/** A local OpenID Connect provider's JWKS endpoint, fetched by the app over real HTTP. */
async function jwksServer(t: TestContext, publicKey: CryptoKey): Promise<string> {
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
}

t.test('JWTs from the configured provider map claims to organisation and roles', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('ES256')
  const stranger = await generateKeyPair('ES256')
  const app = await build(t, {
    OIDC_ISSUER: ISSUER,
    OIDC_JWKS_URL: await jwksServer(t, publicKey),
    OIDC_AUDIENCE: AUDIENCE,
    OIDC_ROLES_CLAIM: 'realm_access.roles',
  })
  await app.inject({ method: 'POST', url: '/admin/organizations', payload: { id: 'alpha', name: 'Alpha' } })
  const sign = (claims: Record<string, unknown>, options: { key?: CryptoKey; issuer?: string; audience?: string; expires?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-1')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.key ?? privateKey)
  const call = async (token: string, url = '/events') =>
    (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).statusCode

  const reader = { organization: 'alpha', realm_access: { roles: ['query'] } }
  t.equal(await call(await sign(reader)), 200, 'a valid token with the query role reads events')
  t.equal(await call(await sign(reader), '/admin/organizations'), 403, 'but is not an admin')
  t.equal(await call(await sign({ organization: 'alpha', realm_access: { roles: 'capture query' } })), 200, 'roles as a space-separated string')
  t.equal(await call(await sign(reader, { audience: 'someone-else' })), 401, 'another audience')
  t.equal(await call(await sign(reader, { issuer: 'https://evil.example' })), 401, 'another issuer')
  t.equal(await call(await sign(reader, { expires: '-1m' })), 401, 'expired')
  t.equal(await call(await sign(reader, { key: stranger.privateKey })), 401, 'signed by a key not in the JWKS')
  t.equal(await call(await sign({ organization: 'nobody', realm_access: { roles: ['query'] } })), 401, 'an unknown organisation')
  t.equal(await call(await sign({ organization: 'alpha' })), 403, 'no roles')
  t.equal(await call(await sign({ realm_access: { roles: ['authority'] } })), 200, 'an authority token needs no organisation')
})
