// GS1 Resolver Community Edition's test data (test/fixtures/gs1/resolver-ce-data), registered through
// the link administration API and resolved with the headers a phone browser sends.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build, jsonFixture, type TestContext } from '../helper.js'
import { linksetSchemaErrors, register } from './helpers.js'

interface CeEntry {
  anchor: string
  itemDescription: string
  defaultLinktype: string
  qualifiers?: unknown[]
  links: Array<{ linktype: string; href: string; title: string; type?: string; hreflang?: string[]; context?: string[] }>
}

const toBody = (entry: CeEntry) => ({
  itemDescription: entry.itemDescription,
  defaultLinkType: entry.defaultLinktype,
  links: entry.links.map(({ linktype, ...link }) => ({ linkType: linktype, ...link })),
})

async function withCeData(t: TestContext): Promise<FastifyInstance> {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  for (const file of ['tests_test_01_09506000134352.json', 'tests_test_8004_095060001343.json', 'tests_test_8004_0950600013430000001.json']) {
    const entry = jsonFixture<CeEntry>(`gs1/resolver-ce-data/${file}`)
    await register(app, entry.anchor, toBody(entry))
  }
  return app
}

const rice = '/01/09506000134352'
const target = (response: { headers: Record<string, unknown> }) => new URL(response.headers.location as string).searchParams

t.test('the default link type in the shopper\'s language', async (t) => {
  const app = await withCeData(t)
  const cases: Array<[string | undefined, string]> = [
    ['vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7', 'vi'],
    ['es-ES,es;q=0.9', 'es'],
    ['ja', 'ja'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9', 'en'], // nothing better: the first link of the default type
    [undefined, 'en'],
  ]
  for (const [acceptLanguage, language] of cases) {
    const response = await app.inject({ method: 'GET', url: rice, headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} })
    t.equal(response.statusCode, 307, String(acceptLanguage))
    t.equal(target(response).get('test_lt'), 'gs1:sustainabilityInfo', `${acceptLanguage}: the default link type`)
    t.equal(target(response).get('test_lang'), language, `${acceptLanguage}: ${language}`)
  }
})

t.test('a requested link type in the best language; a regional variant beats the general one', async (t) => {
  const app = await withCeData(t)
  const ask = async (linkType: string, acceptLanguage?: string) =>
    app.inject({ method: 'GET', url: `${rice}?linkType=${linkType}`, headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} })
  t.equal(target(await ask('gs1:pip', 'en-US,en;q=0.9')).get('test_lang'), 'en-US')
  t.equal(target(await ask('gs1:pip', 'en-GB,en;q=0.9')).get('test_lang'), 'en', 'en serves en-GB better than en-US does')
  t.equal(target(await ask('gs1:pip', 'vi')).get('test_lang'), 'vi')
  t.equal(target(await ask('https://gs1.org/voc/hasRetailers', 'ja,en;q=0.5')).get('test_lang'), 'ja')
  const recipe = await ask('gs1:recipeInfo')
  t.equal(recipe.statusCode, 300, 'no language given: four recipes in four languages are equally good')
  t.same(linksetSchemaErrors(recipe.json()), [])
  t.equal(recipe.json().linkset[0]['https://gs1.org/voc/recipeInfo'].length, 4)
  const byParameter = await app.inject({ method: 'GET', url: `${rice}?linkType=gs1:recipeInfo&lang=es`, headers: { 'accept-language': 'vi' } })
  t.equal(target(byParameter).get('test_lang'), 'es', 'the lang parameter overrides Accept-Language')
})

t.test('context and GIAI keys', async (t) => {
  const app = await withCeData(t)
  const variable = await app.inject({ method: 'GET', url: '/8004/095060001343?context=sales' })
  t.equal(variable.statusCode, 307)
  t.equal(variable.headers.location, 'https://dalgiardino.com/medicinal-compound/assets?giai=095060001343{1}&context=sales')
  const fixed = await app.inject({ method: 'GET', url: '/8004/0950600013430000001' })
  t.equal(fixed.headers.location, 'https://dalgiardino.com/medicinal-compound/assets/8004/0950600013430000001.html')
  const linkset = await app.inject({ method: 'GET', url: '/8004/0950600013430000001', headers: { accept: 'application/linkset+json' } })
  t.same(linksetSchemaErrors(linkset.json()), [])
  t.equal(linkset.json().linkset.length, 1, 'GIAI has no key qualifiers: one level')
})

t.test('"und" is no language of the GS1 linkset schema: such a link is refused with a reason', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const [entry] = jsonFixture<CeEntry[]>('gs1/resolver-ce-data/tests_test_01_09506000134376.json')
  const refused = await app.inject({ method: 'PUT', url: `/links${entry!.anchor}`, payload: toBody(entry!) })
  t.equal(refused.statusCode, 400)
  t.match(refused.json().errors[0].pointer, /^\/links\/4\/hreflang\/0/)
  const withoutUnd = { ...entry!, links: entry!.links.filter((l) => !l.hreflang?.includes('und')) }
  t.equal((await app.inject({ method: 'PUT', url: `/links${entry!.anchor}`, payload: toBody(withoutUnd) })).statusCode, 201)
  const register = await app.inject({
    method: 'GET',
    url: '/01/09506000134376?linkType=gs1:registerProduct',
    headers: { 'accept-language': 'en-IE' },
  })
  t.equal(new URL(register.headers.location as string).searchParams.get('register'), 'en-IE')
})
