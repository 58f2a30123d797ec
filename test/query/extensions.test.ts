import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { eventId, get, namesOf, qs } from './query-helper.js'

const NS = 'https://ns.example.com/epcis/'
const base = {
  type: 'ObjectEvent',
  eventTimeZoneOffset: '+07:00',
  eventTime: '2024-05-01T06:00:00.000+07:00',
  action: 'OBSERVE',
  epcList: ['urn:epc:id:sgtin:8934567.012345.1'],
}

const withExtensions: Json[] = [
  {
    ...base,
    eventID: eventId('first'),
    action: 'ADD',
    'ex:temperature': 5,
    'ex:lotCode': 'A1',
    'ex:madeAt': '2024-04-01T00:00:00Z',
    'ex:shipment': { 'ex:carrier': 'VTP', 'ex:weight': '12.5', 'ex:nested': { 'ex:deep': 'yes' } },
    readPoint: { id: 'urn:epc:id:sgln:8934567.00001.0', 'ex:dock': '3' },
    bizLocation: { id: 'urn:epc:id:sgln:8934567.00001.0', 'ex:zone': { 'ex:aisle': '7' } },
    ilmd: {
      'ex:bestBefore': '2025-01-01T00:00:00Z',
      'cbvmda:lotNumber': 'L1',
      'ex:origin': { 'ex:province': 'Lâm Đồng' },
    },
  },
  {
    ...base,
    eventID: eventId('second'),
    'ex:temperature': '12',
    'ex:lotCode': 'B2',
    'ex:tags': ['organic', 'vietgap'],
    'ex:note': `${'x'.repeat(200)}-long`,
  },
  { ...base, eventID: eventId('plain') },
]

const errorDeclarations: Json[] = [
  {
    ...base,
    eventID: eventId('declared'),
    errorDeclaration: {
      declarationTime: '2024-06-01T00:00:00.000+07:00',
      reason: 'incorrect_data',
      correctiveEventIDs: ['urn:uuid:11111111-0000-4000-8000-000000000001'],
      'ex:ticket': 'T-42',
      'ex:severity': 3,
      'ex:audit': { 'ex:auditor': 'Nguyễn' },
    },
  },
  {
    ...base,
    eventID: eventId('retracted'),
    errorDeclaration: { declarationTime: '2024-07-01T00:00:00.000+07:00', reason: 'did_not_occur' },
  },
]

t.test('extension fields and error declarations', async (t) => {
  const app = await build(t)
  for (const document of [
    epcisDocument(withExtensions, [{ ex: NS }]),
    epcisDocument([{ ...base, eventID: eventId('other-prefix'), 'vn:temperature': 8 }], [{ vn: NS }]),
    epcisDocument(errorDeclarations, [{ ex: NS }]),
  ]) {
    const job = await captureAndWait(app, document)
    t.ok(job.success, JSON.stringify(job.errors))
  }
  const names = async (query: string, headers: Record<string, string> = {}) => {
    const answer = await get(app, `/events?${query}`, headers)
    t.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    return namesOf(answer)
  }

  t.test('EQ_, GT_, GE_, LT_, LE_ and EXISTS_ on top-level extension fields', async (t) => {
    t.same(await names(qs({ 'EQ_ex:lotCode': 'A1' })), ['first'])
    t.same(await names(qs({ 'EQ_ex:lotCode': 'A1|B2' })), ['first', 'second'])
    t.same(await names(qs({ 'EQ_ex:lotCode': 'C3' })), [])
    t.same(await names(qs({ 'EQ_ex:temperature': '12' })), ['second'], 'a string value')
    t.same(await names(qs({ 'EQ_ex:temperature': '5.0' })), ['first'], 'a number compared as a number')
    t.same(await names(qs({ 'GT_ex:temperature': '6' })), ['second', 'other-prefix'], 'numbers and numeric strings')
    t.same(await names(qs({ 'GE_ex:temperature': '12' })), ['second'])
    t.same(await names(qs({ 'LT_ex:temperature': '8' })), ['first'])
    t.same(await names(qs({ 'LE_ex:temperature': '8' })), ['first', 'other-prefix'])
    t.same(await names(qs({ 'GE_ex:madeAt': '2024-03-01T00:00:00+07:00' })), ['first'], 'times compare as instants')
    t.same(await names(qs({ 'LT_ex:madeAt': '2024-03-01T00:00:00Z' })), [])
    t.same(await names(qs({ 'EQ_ex:tags': 'vietgap' })), ['second'], 'an array matches by any item')
    t.same(await names(qs({ 'EQ_ex:note': `${'x'.repeat(200)}-long` })), ['second'], 'a text longer than the indexed prefix')
    t.same(await names(qs({ 'EQ_ex:note': `${'x'.repeat(200)}-other` })), [], 'same prefix, another text')
    t.same(await names(qs({ 'EQ_ex:note': 'x'.repeat(200) })), [], 'the prefix alone')
    t.same(await names('EXISTS_ex:shipment'), ['first'])
    t.same(await names('EXISTS_ex:carrier'), [], 'EXISTS_ looks at the top level only')
    t.same(await names(qs({ 'EQ_ex:carrier': 'VTP' })), [], 'so does EQ_')
  })

  t.test('INNER_ forms look inside top-level extension fields, at any depth', async (t) => {
    t.same(await names(qs({ 'EQ_INNER_ex:carrier': 'VTP' })), ['first'])
    t.same(await names(qs({ 'EQ_INNER_ex:deep': 'yes' })), ['first'])
    t.same(await names(qs({ 'GT_INNER_ex:weight': '10' })), ['first'])
    t.same(await names(qs({ 'LT_INNER_ex:weight': '10' })), [])
    t.same(await names('EXISTS_INNER_ex:nested'), ['first'])
    t.same(await names(qs({ 'EQ_INNER_ex:lotCode': 'A1' })), [], 'a top-level field is not an inner one')
  })

  t.test('ILMD_ and INNER_ILMD_', async (t) => {
    t.same(await names(qs({ 'GE_ILMD_ex:bestBefore': '2024-12-01T00:00:00Z' })), ['first'])
    t.same(await names(qs({ 'LT_ILMD_ex:bestBefore': '2024-12-01T00:00:00Z' })), [])
    t.same(await names(qs({ 'EQ_ILMD_cbvmda:lotNumber': 'L1' })), ['first'], 'the GS1 context prefix cbvmda')
    t.same(await names(qs({ 'EQ_ILMD_urn:epcglobal:cbv:mda:lotNumber': 'L1' })), ['first'], 'the full IRI')
    t.same(await names(qs({ 'EQ_INNER_ILMD_ex:province': 'Lâm Đồng' })), ['first'])
    t.same(await names(qs({ 'EQ_ILMD_ex:province': 'Lâm Đồng' })), [])
    t.same(await names('EXISTS_ILMD_ex:origin'), ['first'])
    t.same(await names('EXISTS_INNER_ILMD_ex:origin'), [])
    t.same(await names(qs({ 'EQ_ex:bestBefore': '2025-01-01T00:00:00Z' })), [], 'ILMD fields are not event fields')
  })

  t.test('EQ_readPoint_ and EQ_bizLocation_ extension fields', async (t) => {
    t.same(await names(qs({ 'EQ_readPoint_ex:dock': '3' })), ['first'])
    t.same(await names(qs({ 'EQ_readPoint_ex:dock': '4' })), [])
    t.same(await names(qs({ 'EQ_bizLocation_ex:dock': '3' })), [])
    t.same(await names(qs({ 'EQ_INNER_bizLocation_ex:aisle': '7' })), ['first'])
    t.same(await names(qs({ 'EQ_bizLocation_ex:aisle': '7' })), [])
  })

  t.test('namespace prefixes: GS1-Extensions header, captured documents, full IRIs', async (t) => {
    t.same(await names(qs({ 'EQ_vn:temperature': '5' })), ['first'], 'another prefix for the same namespace')
    t.same(await names(qs({ [`EQ_${NS}lotCode`]: 'A1' })), ['first'])
    t.same(await names(qs({ 'EQ_my:lotCode': 'A1' }), { 'GS1-Extensions': `my=${NS}` }), ['first'])
    t.same(await names(qs({ 'EQ_ex:lotCode': 'A1' }), { 'GS1-Extensions': 'ex=https://other.example.org/' }), [], 'the header wins')
    const unknown = await get(app, `/events?${qs({ 'EQ_zz:lotCode': 'A1' })}`)
    t.equal(unknown.status, 400)
    t.equal(unknown.body.type, 'epcisException:QueryParameterException')
    t.match(unknown.body.detail, /EQ_zz:lotCode.*zz/)
  })

  t.test('error declarations', async (t) => {
    t.same(await names('EXISTS_errorDeclaration'), ['declared', 'retracted'])
    t.same(await names('EXISTS_errorDeclaration=false'), ['first', 'second', 'plain', 'other-prefix', 'declared', 'retracted'])
    for (const name of ['GE_errorDeclarationTime', 'GE_errorDeclaration_Time']) {
      t.same(await names(qs({ [name]: '2024-06-15T00:00:00+07:00' })), ['retracted'], name)
    }
    for (const name of ['LT_errorDeclarationTime', 'LT_errorDeclaration_Time']) {
      t.same(await names(qs({ [name]: '2024-06-15T00:00:00+07:00' })), ['declared'], name)
    }
    t.same(await names('EQ_errorReason=did_not_occur'), ['retracted'])
    t.same(await names(qs({ EQ_errorReason: 'urn:epcglobal:cbv:er:incorrect_data' })), ['declared'])
    t.same(await names(qs({ EQ_errorReason: 'https://ref.gs1.org/cbv/ER-incorrect_data' })), ['declared'])
    t.same(await names(qs({ EQ_correctiveEventID: 'urn:uuid:11111111-0000-4000-8000-000000000001' })), ['declared'])
    t.same(await names(qs({ EQ_correctiveEventID: 'urn:uuid:11111111-0000-4000-8000-000000000002' })), [])
    t.same(await names(qs({ 'EQ_ERROR_DECLARATION_ex:ticket': 'T-42' })), ['declared'])
    t.same(await names(qs({ 'EQ_ERROR_DECLARATION_ex:ticket': 'T-43' })), [])
    t.same(await names(qs({ 'GE_ERROR_DECLARATION_ex:severity': '3' })), ['declared'])
    t.same(await names(qs({ 'GT_ERROR_DECLARATION_ex:severity': '3' })), [])
    t.same(await names('EXISTS_ERROR_DECLARATION_ex:audit'), ['declared'])
    t.same(await names(qs({ 'EQ_INNER_ERROR_DECLARATION_ex:auditor': 'Nguyễn' })), ['declared'])
    t.same(await names(qs({ 'EQ_ex:ticket': 'T-42' })), [], 'declaration fields are not event fields')
  })
})
