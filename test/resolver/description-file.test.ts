import { Ajv } from 'ajv'
import t from 'tap'
import { build, jsonFixture } from '../helper.js'

// The constraints of GS1's resolver description file schema
// (https://ref.gs1.org/standards/resolver/description-file-schema, 1.2.0): resolverRoot and
// supportedPrimaryKeys are required, the keys come from a closed list, link type prefixes end in ":".
const descriptionFileSchema = {
  type: 'object',
  required: ['resolverRoot', 'supportedPrimaryKeys'],
  properties: {
    name: { type: 'string' },
    resolverRoot: { type: 'string', pattern: '^https?://' },
    supportedPrimaryKeys: {
      type: 'array',
      items: {
        type: 'string',
        enum: ['all', '01', '8006', '8013', '8010', '410', '411', '412', '413', '414', '415', '417', '8017', '8018', '255', '00', '253', '401', '402', '8003', '8004'],
      },
    },
    supportedLinkType: {
      type: 'array',
      items: { properties: { namespace: { type: 'string' }, prefix: { type: 'string', pattern: '^[a-zA-Z_][A-Za-z0-9_-]*?:$' } } },
    },
    linkTypeDefaultCanBeLinkset: { type: 'boolean' },
    supportedContextValuesEnumerated: { type: 'array', items: { type: 'string' } },
    jsonLdContextLocation: { type: 'string' },
  },
}

t.test('/.well-known/gs1resolver describes the resolver', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0, PUBLIC_BASE_URL: 'https://truyxuat.example.vn/' })
  const response = await app.inject({ method: 'GET', url: '/.well-known/gs1resolver' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.equal(response.headers['access-control-allow-origin'], '*')
  const description = response.json()
  const validate = new Ajv({ strict: false }).compile(descriptionFileSchema)
  t.ok(validate(description), JSON.stringify(validate.errors))
  t.equal(description.resolverRoot, 'https://truyxuat.example.vn')
  t.same(
    [...description.supportedPrimaryKeys].sort(),
    ['00', '01', '253', '255', '401', '402', '414', '415', '417', '8003', '8004', '8006', '8010', '8013', '8017', '8018'],
    'every primary key of the GS1 Syntax Dictionary',
  )
  t.same(description.supportedLinkType, [{ namespace: 'https://gs1.org/voc/', prefix: 'gs1:' }])
  t.same(description.activeLinkTypes.en['gs1:traceability'], {
    title: 'Traceability information',
    description: description.activeLinkTypes.en['gs1:traceability'].description,
    url: 'https://gs1.org/voc/traceability',
  })

  const example = jsonFixture('gs1/resolver-ce-data/web_server_src_public_gs1resolver.json')
  for (const key of ['name', 'resolverRoot', 'supportedLinkType', 'supportedPrimaryKeys', 'supportsLanguageVariants', 'validatesAIcombinations', 'activeLinkTypes']) {
    t.ok(key in example && key in description, `${key}, as in GS1 Resolver CE's description file`)
  }

  const head = await app.inject({ method: 'HEAD', url: '/.well-known/gs1resolver' })
  t.equal(head.statusCode, 200)
  const options = await app.inject({ method: 'OPTIONS', url: '/.well-known/gs1resolver' })
  t.equal(options.statusCode, 204)
})

t.test('without PUBLIC_BASE_URL the root is the origin the request reached', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const response = await app.inject({ method: 'GET', url: '/.well-known/gs1resolver', headers: { host: 'id.example.vn' } })
  t.equal(response.json().resolverRoot, 'http://id.example.vn')
})
