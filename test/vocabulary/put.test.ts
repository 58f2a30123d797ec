import t from 'tap'
import { attributeTexts, textIn } from '../../src/vocabulary/localised-text.js'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

const classType = 'urn:epcglobal:epcis:vtype:EPCClass'
const locationType = 'urn:epcglobal:epcis:vtype:BusinessLocation'
const lychee = 'urn:epc:idpat:sgtin:8934567.012345.*'
const name = 'urn:epcglobal:cbv:mda#name'

const url = (type: string, id: string) => `/vocabularies/${encodeURIComponent(type)}/${encodeURIComponent(id)}`

t.test('PUT sets master data without a capture; GET /vocabularies serves it', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const body = {
    attributes: [
      { id: name, attribute: [{ '@value': 'Vải thiều Lục Ngạn', '@language': 'vi' }, { '@value': 'Luc Ngan lychee', '@language': 'en' }] },
      { id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: 'Vải thiều loại 1' },
      { id: 'https://gs1.org/voc/image', attribute: 'https://vaithieu.example.vn/anh.jpg' },
    ],
    allowCommercialFields: true,
  }
  const created = await app.inject({ method: 'PUT', url: url(classType, lychee), payload: body })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { type: classType, id: lychee, attributes: body.attributes, children: [], allowCommercialFields: true })
  t.ok(created.json().recordedAt)

  const read = await app.inject({ method: 'GET', url: `/vocabularies?type=${encodeURIComponent(classType)}&id=${encodeURIComponent(lychee)}` })
  t.same(read.json().vocabularyList[0].vocabularyElementList, [{ id: lychee, attributes: body.attributes, allowCommercialFields: true }])

  const replaced = await app.inject({ method: 'PUT', url: url(classType, lychee), payload: { attributes: [{ id: name, attribute: 'Vải thiều' }] } })
  t.equal(replaced.statusCode, 200, 'the element existed')
  t.equal(replaced.json().allowCommercialFields, false, 'a PUT without the flag clears it')
  const history = await app.inject({
    method: 'GET',
    url: `/vocabularies?type=${encodeURIComponent(classType)}&id=${encodeURIComponent(lychee)}&history=true`,
  })
  t.equal(history.json().vocabularyList[0].vocabularyElementList.length, 2, 'the earlier version stays in the history')
})

t.test('an element first captured in a document gets 200, and its captured attributes are replaced', async (t) => {
  const app = await build(t)
  const farm = 'urn:epc:id:sgln:8934567.00001.0'
  await captureAndWait(
    app,
    epcisDocument([objectEvent()], [], {
      epcisMasterData: { vocabularyList: [{ type: locationType, vocabularyElementList: [{ id: farm, attributes: [{ id: name, attribute: 'Trại cũ' }] }] }] },
    }),
  )
  const response = await app.inject({
    method: 'PUT',
    url: url(locationType, farm),
    payload: {
      attributes: [
        { id: name, attribute: 'Trại heo Tây Ninh' },
        { id: 'urn:epcglobal:cbv:mda#streetAddressOne', attribute: '12 Đường 30/4' },
        { id: 'urn:epcglobal:cbv:mda#city', attribute: 'Tây Ninh' },
        { id: 'urn:epcglobal:cbv:mda#countryCode', attribute: 'VN' },
      ],
      children: ['urn:epc:id:sgln:8934567.00001.1'],
    },
  })
  t.equal(response.statusCode, 200)
  const read = await app.inject({ method: 'GET', url: `/vocabularies?type=${encodeURIComponent(locationType)}&id=${encodeURIComponent(farm)}` })
  const element = read.json().vocabularyList[0].vocabularyElementList[0]
  t.equal(element.attributes[0].attribute, 'Trại heo Tây Ninh')
  t.same(element.children, ['urn:epc:id:sgln:8934567.00001.1'])
})

t.test('element ids with slashes, and invalid input', async (t) => {
  const app = await build(t, { CAPTURE_WORKER_CONCURRENCY: 0 })
  const gln = 'https://id.gs1.org/414/8934567000017'
  const literal = await app.inject({ method: 'PUT', url: `/vocabularies/${locationType}/${gln}`, payload: { attributes: [{ id: name, attribute: 'Kho' }] } })
  t.equal(literal.statusCode, 201, literal.body)
  t.equal(literal.json().id, gln)

  const badTag = await app.inject({
    method: 'PUT',
    url: url(classType, lychee),
    payload: { attributes: [{ id: name, attribute: { '@value': 'x', '@language': 'not a tag' } }] },
  })
  t.equal(badTag.statusCode, 400)
  t.equal(badTag.json().errors[0].pointer, '/attributes/0/attribute/@language')

  const notUri = await app.inject({ method: 'PUT', url: url('EPCClass', lychee), payload: {} })
  t.equal(notUri.statusCode, 400)
  const noId = await app.inject({ method: 'PUT', url: `/vocabularies/${encodeURIComponent(classType)}/`, payload: {} })
  t.equal(noId.statusCode, 400)
  const unknownField = await app.inject({ method: 'PUT', url: url(classType, lychee), payload: { name: 'x' } })
  t.equal(unknownField.statusCode, 400)
  const badAttributeId = await app.inject({ method: 'PUT', url: url(classType, lychee), payload: { attributes: [{ id: 'name', attribute: 'x' }] } })
  t.equal(badAttributeId.statusCode, 400)
})

t.test('texts in Vietnamese and English', async (t) => {
  const attributes = [
    { id: name, attribute: [{ '@value': 'Thịt heo', '@language': 'vi' }, { '@value': 'Pork', '@language': 'en' }] },
    { id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: 'Thịt heo sạch' },
    { id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: { '@value': 'Clean pork', '@language': 'EN' } },
  ]
  const names = attributeTexts(attributes, name)
  t.same(names, [{ value: 'Thịt heo', language: 'vi' }, { value: 'Pork', language: 'en' }])
  t.equal(textIn(names, ['vi', 'en'])?.value, 'Thịt heo')
  t.equal(textIn(names, ['en-US'])?.value, 'Pork')
  const descriptions = attributeTexts(attributes, 'urn:epcglobal:cbv:mda#descriptionShort')
  t.equal(textIn(descriptions, ['en'])?.value, 'Clean pork')
  t.equal(textIn(descriptions, ['fr'])?.value, 'Thịt heo sạch', 'no French: the untagged text')
  t.same(attributeTexts(attributes, 'urn:epcglobal:cbv:mda#city'), [])
})
