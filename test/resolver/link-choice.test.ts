import t from 'tap'
import { chooseLink, type ResolverLink } from '../../src/resolver/link-choice.js'
import { isRegistrableLinkType, linkTypeName } from '../../src/resolver/link-type.js'
import { parseWeightedList, preferencesOf, type Preferences } from '../../src/resolver/preferences.js'

const link = (href: string, extra: Partial<ResolverLink> = {}): ResolverLink => ({ linkType: 'pip', href, title: href, ...extra })
const none: Preferences = { languages: [], contexts: [], mediaTypes: [] }
const prefs = (parameters: Record<string, string>, headers: { acceptLanguage?: string; accept?: string } = {}) =>
  preferencesOf(Object.entries(parameters).map(([key, value]) => ({ key, value })), headers)

t.test('link type names: CURIEs and IRIs of the GS1 Web Vocabulary only', async (t) => {
  for (const spelling of ['gs1:pip', 'https://gs1.org/voc/pip', 'http://gs1.org/voc/pip', 'https://ref.gs1.org/voc/pip', 'https://www.gs1.org/voc/pip']) {
    t.equal(linkTypeName(spelling), 'pip', spelling)
  }
  for (const spelling of ['pip', 'gs1:Pip', 'gs1:nosuchlt', 'https://gs1.org/voc/pip/x', 'https://schema.org/pip', 'gs1:', 'linkset']) {
    t.equal(linkTypeName(spelling), undefined, spelling)
  }
  t.equal(linkTypeName('gs1:productSustainabilityInfo'), 'productSustainabilityInfo', 'deprecated but known')
  t.notOk(isRegistrableLinkType('defaultLink'))
  t.notOk(isRegistrableLinkType('handledBy'))
  t.ok(isRegistrableLinkType('epil'))
})

t.test('weighted lists', async (t) => {
  t.same(parseWeightedList('en;q=0.5, vi-VN, vi;q=0.9,,  '), [
    { value: 'vi-vn', q: 1 },
    { value: 'vi', q: 0.9 },
    { value: 'en', q: 0.5 },
  ])
  t.same(parseWeightedList('text/html;level=1;q=0.2, */*;q=x'), [{ value: '*/*', q: 1 }, { value: 'text/html', q: 0.2 }])
  t.same(prefs({}, { accept: '*/*' }).mediaTypes, [], 'Accept: */* says nothing')
  t.same(prefs({ mediaType: 'application/pdf' }, { accept: 'text/html' }).mediaTypes, [{ value: 'application/pdf', q: 1 }])
  t.same(prefs({ lang: 'VI,en' }, { acceptLanguage: 'fr' }).languages, [{ value: 'vi', q: 1 }, { value: 'en', q: 1 }])
})

t.test('one link, or links to one target, are never a multiple choice', async (t) => {
  t.same(chooseLink([link('https://a')], none), { kind: 'link', link: link('https://a') })
  const twins = [link('https://a', { hreflang: ['vi'] }), link('https://a', { hreflang: ['en'] })]
  t.equal(chooseLink(twins, none).kind, 'link')
})

t.test('language, then context, then media type', async (t) => {
  const vi = link('https://vi', { hreflang: ['vi'], type: 'text/html' })
  const en = link('https://en', { hreflang: ['en'], type: 'text/html' })
  const enPdf = link('https://en.pdf', { hreflang: ['en'], type: 'application/pdf' })
  const enVn = link('https://en-vn', { hreflang: ['en'], type: 'text/html', context: ['vn'] })
  const neutral = link('https://neutral')
  const all = [vi, en, enPdf, enVn, neutral]
  const pick = (p: Preferences, preferred?: ResolverLink) => {
    const choice = chooseLink(all, p, preferred)
    return choice.kind === 'link' ? choice.link.href : choice.links.map((l) => l.href)
  }
  t.equal(pick(none), 'https://neutral', 'nothing asked: the link that restricts nothing')
  t.equal(pick(prefs({}, { acceptLanguage: 'vi-VN,vi;q=0.9' })), 'https://vi')
  t.same(pick(prefs({}, { acceptLanguage: 'en' })), ['https://en', 'https://en.pdf'], 'English in two media types, nothing to choose by')
  t.equal(pick(prefs({}, { acceptLanguage: 'en', accept: 'text/html,*/*;q=0.8' })), 'https://en')
  t.equal(pick(prefs({}, { acceptLanguage: 'en', accept: 'application/pdf' })), 'https://en.pdf')
  t.equal(pick(prefs({ context: 'VN' }, { acceptLanguage: 'en', accept: 'text/html' })), 'https://en-vn')
  t.equal(pick(prefs({}, { acceptLanguage: 'ja' })), 'https://neutral', 'no Japanese: the language-neutral link')
  t.equal(pick(prefs({}, { acceptLanguage: 'en' }), enPdf), 'https://en.pdf', 'the designated default wins a tie it is part of')
  t.equal(pick(prefs({}, { acceptLanguage: 'vi' }), enPdf), 'https://vi', 'but not against a better match')
})
