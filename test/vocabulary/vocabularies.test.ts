import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, objectEvent } from '../factories.js'

const farm = 'urn:epc:id:sgln:8934567.00001.0'
const barn = 'urn:epc:id:sgln:8934567.00001.1'
const locationType = 'urn:epcglobal:epcis:vtype:BusinessLocation'

const masterData = (name: string) => ({
  epcisMasterData: {
    vocabularyList: [
      {
        type: locationType,
        vocabularyElementList: [
          {
            id: farm,
            attributes: [
              { id: 'urn:epcglobal:cbv:mda#name', attribute: name },
              { id: 'urn:epcglobal:cbv:mda#countryCode', attribute: 'VN' },
            ],
            children: [barn],
          },
          { id: barn, attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Chuồng 1' }] },
        ],
      },
      {
        type: 'urn:epcglobal:epcis:vtype:EPCClass',
        vocabularyElementList: [
          { id: 'urn:epc:class:lgtin:8934567.012345.LOT7', attributes: [{ id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: 'Thịt heo' }] },
        ],
      },
    ],
  },
})

t.test('master data from document headers is stored per capture and served newest first', async (t) => {
  const app = await build(t)
  await captureAndWait(app, epcisDocument([objectEvent()], [], masterData('Trại heo Tây Ninh')))
  await captureAndWait(app, epcisDocument([objectEvent()], [], masterData('Trại heo Tây Ninh (mới)')))

  const one = await app.inject({ method: 'GET', url: `/vocabularies?type=${locationType}&id=${farm}` })
  t.equal(one.statusCode, 200)
  t.same(one.json(), {
    vocabularyList: [
      {
        type: locationType,
        vocabularyElementList: [
          {
            id: farm,
            attributes: [
              { id: 'urn:epcglobal:cbv:mda#name', attribute: 'Trại heo Tây Ninh (mới)' },
              { id: 'urn:epcglobal:cbv:mda#countryCode', attribute: 'VN' },
            ],
            children: [barn],
          },
        ],
      },
    ],
  })

  const history = await app.inject({ method: 'GET', url: `/vocabularies?type=${locationType}&id=${farm}&history=true` })
  const versions = history.json().vocabularyList[0].vocabularyElementList
  t.equal(versions.length, 2, 'each capture kept its version')
  t.equal(versions[1].attributes[0].attribute, 'Trại heo Tây Ninh')

  const all = await app.inject({ method: 'GET', url: '/vocabularies?perPage=2' })
  t.same(
    all.json().vocabularyList.map((v: { type: string }) => v.type),
    [locationType],
  )
  t.ok(all.headers.link, 'three elements, two per page: a next page')
  const next = /<([^>]+)>/.exec(all.headers.link as string)![1]!
  const rest = await app.inject({ method: 'GET', url: next })
  t.same(rest.json().vocabularyList[0].type, 'urn:epcglobal:epcis:vtype:EPCClass')

  const unknown = await app.inject({ method: 'GET', url: '/vocabularies?colour=red' })
  t.equal(unknown.statusCode, 400)
  t.equal(unknown.json().type, 'epcisException:QueryParameterException')
})
