import t from 'tap'
import { dayOf, gs1DateToIso, localDateTime } from '../../src/consumer-page/dates.js'
import { chooseLanguage } from '../../src/consumer-page/language.js'
import { imageUrl, localisedText, PLACE_NAME } from '../../src/consumer-page/master-data-text.js'
import { productDates } from '../../src/consumer-page/product-dates.js'
import type { PageEventRow } from '../../src/consumer-page/repository.js'
import { timeline } from '../../src/consumer-page/timeline.js'
import { textsFor } from '../../src/consumer-page/translations.js'

t.test('the page language: lang, then Accept-Language, then Vietnamese', async (t) => {
  t.equal(chooseLanguage(undefined, undefined), 'vi')
  t.equal(chooseLanguage('en', 'vi'), 'en')
  t.equal(chooseLanguage('fr,en-GB', undefined), 'en', 'the first language of the list we write')
  t.equal(chooseLanguage('fr', 'en-US,en;q=0.8'), 'en', 'an unknown lang falls back to Accept-Language')
  t.equal(chooseLanguage(undefined, 'de;q=0.9, vi;q=0.5, en;q=0.7'), 'en', 'by weight')
  t.equal(chooseLanguage(undefined, 'en;q=0, de'), 'vi', 'q=0 refuses')
})

t.test('dates on the local clock of the event and GS1 dates', async (t) => {
  const time = new Date('2024-05-01T23:30:00Z')
  t.equal(localDateTime(time, '+07:00', 'vi'), '02/05/2024 06:30')
  t.equal(localDateTime(time, '-05:00', 'en'), '1 May 2024, 18:30')
  t.equal(dayOf('2024-12-31', 'en'), '31 Dec 2024')
  t.equal(dayOf('31/12/2024', 'vi'), undefined)
  const now = new Date('2026-01-01T00:00:00Z')
  t.equal(gs1DateToIso('250600', now), '2025-06-30', 'day 00 is the last day of the month')
  t.equal(gs1DateToIso('240229', now), '2024-02-29')
  t.equal(gs1DateToIso('990101', now), '1999-01-01', '51 years or more ahead is last century')
  t.equal(gs1DateToIso('751231', now), '2075-12-31')
  t.equal(gs1DateToIso('241301', now), undefined)
})

t.test('dates of the product: ILMD first, then lot master data, then the Digital Link', async (t) => {
  const link = [{ ai: '17', value: '250600' }, { ai: '15', value: '250610' }]
  t.same(productDates([{ 'cbvmda:itemExpirationDate': '2025-01-31' }], undefined, link), {
    expiry: '2025-01-31',
    bestBefore: '2025-06-10',
  })
  t.same(productDates([], [{ id: 'urn:epcglobal:cbv:mda#sellByDate', attribute: '2025-02-01' }], []), { sellBy: '2025-02-01' })
})

t.test('master data texts in the page language', async (t) => {
  const attributes = [
    { id: 'urn:epcglobal:cbv:mda#name', attribute: { '@value': 'Trại Đồng Nai', '@language': 'vi' } },
    { id: 'urn:epcglobal:cbv:mda#name', attribute: { '@value': 'Dong Nai farm', '@language': 'en' } },
  ]
  t.equal(localisedText(attributes, PLACE_NAME, 'vi'), 'Trại Đồng Nai')
  t.equal(localisedText(attributes, PLACE_NAME, 'en'), 'Dong Nai farm')
  t.equal(localisedText([attributes[0]!], PLACE_NAME, 'en'), 'Trại Đồng Nai', 'the other language rather than nothing')
  t.equal(imageUrl([{ id: 'gs1:image', attribute: 'javascript:alert(1)' }]), undefined, 'only http(s) images')
  t.equal(imageUrl([{ id: 'https://gs1.org/voc/image', attribute: { '@id': 'https://img.example.vn/a.png' } }]), 'https://img.example.vn/a.png')
})

t.test('consecutive events of one step at one place make one timeline entry', async (t) => {
  let pk = 0
  const row = (minute: number, bizStep: string, place: string): PageEventRow => ({
    pk: ++pk,
    eventId: `e${pk}`,
    eventTime: new Date(Date.UTC(2024, 4, 1, 1, minute)),
    offset: '+07:00',
    bizStep: `https://ref.gs1.org/cbv/BizStep-${bizStep}`,
    disposition: null,
    bizLocation: place,
    readPoint: null,
    ilmd: null,
    certificationInfo: null,
  })
  const farm = 'https://id.gs1.org/414/8930001000018'
  const store = 'https://id.gs1.org/414/8930006000014'
  const events = [row(0, 'commissioning', farm), row(5, 'commissioning', farm), row(10, 'shipping', farm), row(20, 'receiving', store)]
  const entries = timeline(events, new Map([[farm, 'Trại A']]), 'vi', textsFor('vi'))
  t.same(
    entries.map((e) => [e.when, e.step, e.place]),
    [
      ['01/05/2024 08:00', 'Khởi tạo sản phẩm', 'Trại A'],
      ['01/05/2024 08:10', 'Vận chuyển', 'Trại A'],
      ['01/05/2024 08:20', 'Nhận hàng', 'Địa điểm 8930006000014'],
    ],
  )
  t.notOk(entries.some((e) => e.commercial), 'no commercial fields unless asked for')
})
