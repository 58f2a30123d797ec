import t from 'tap'
import { build, captureAndWait } from '../helper.js'
import { epcisDocument, type Json } from '../factories.js'
import { eventId, get, namesOf, qs } from './query-helper.js'

const lot = (name: string) => `urn:epc:class:lgtin:8934567.012345.${name}`
const base = { eventTimeZoneOffset: '+07:00', eventTime: '2024-05-01T06:00:00.000+07:00', action: 'OBSERVE' }
const farm = 'urn:epc:id:sgln:8934567.00001.0'
const market = 'urn:epc:id:sgln:8934567.00002.0'
const farmer = 'urn:epc:id:pgln:8934567.00000'
const trader = 'urn:epc:id:pgln:8934567.00011'

const events: Json[] = [
  {
    ...base,
    type: 'ObjectEvent',
    eventID: eventId('rice'),
    quantityList: [{ epcClass: lot('RICE'), quantity: 25, uom: 'KGM' }],
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:8934567000003:PO-1' }],
    sourceList: [{ type: 'owning_party', source: farmer }],
    destinationList: [{ type: 'owning_party', destination: trader }],
  },
  {
    ...base,
    type: 'ObjectEvent',
    eventID: eventId('pepper'),
    quantityList: [{ epcClass: lot('PEPPER'), quantity: 800, uom: 'GRM' }],
    bizTransactionList: [
      { type: 'inv', bizTransaction: 'urn:epcglobal:cbv:bt:8934567000003:PO-1' },
      { type: 'https://ref.gs1.org/cbv/BTT-desadv', bizTransaction: 'urn:epcglobal:cbv:bt:8934567000003:ASN-9' },
    ],
    sourceList: [{ type: 'location', source: farm }],
    destinationList: [{ type: 'location', destination: market }],
  },
  {
    ...base,
    type: 'ObjectEvent',
    eventID: eventId('eggs'),
    quantityList: [{ epcClass: lot('EGGS'), quantity: 30 }],
    bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:epc:id:gdti:8934567.00001.INV7' }],
    sourceList: [{ type: 'https://ref.gs1.org/cbv/SDT-possessing_party', source: 'https://id.gs1.org/417/8934567000000' }],
  },
  {
    eventTimeZoneOffset: base.eventTimeZoneOffset,
    eventTime: base.eventTime,
    type: 'TransformationEvent',
    eventID: eventId('mill'),
    inputQuantityList: [{ epcClass: lot('RICE'), quantity: 1.5, uom: 'TNE' }],
    outputQuantityList: [{ epcClass: lot('FLOUR'), quantity: 1400, uom: 'KGM' }],
  },
  { ...base, type: 'ObjectEvent', eventID: eventId('none'), epcList: ['urn:epc:id:sgtin:8934567.012345.1'] },
]

t.test('quantities and typed lists', async (t) => {
  const app = await build(t)
  const job = await captureAndWait(app, epcisDocument(events))
  t.ok(job.success, JSON.stringify(job.errors))
  const names = async (query: string) => {
    const answer = await get(app, `/events?${query}`)
    t.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body).slice(0, 300)}`)
    return namesOf(answer)
  }

  t.test('EQ_/GT_/GE_/LT_/LE_quantity compare any QuantityElement, whatever its unit', async (t) => {
    t.same(await names('EQ_quantity=25'), ['rice'])
    t.same(await names('EQ_quantity=30|800'), ['pepper', 'eggs'])
    t.same(await names('EQ_quantity=26'), [])
    t.same(await names('GT_quantity=800'), ['mill'], '1400 in the output list')
    t.same(await names('GE_quantity=800'), ['pepper', 'mill'])
    t.same(await names('LT_quantity=25'), ['mill'], '1.5 TNE is 1.5')
    t.same(await names('LE_quantity=25'), ['rice', 'mill'])
    t.same(await names('LT_quantity=1'), [])
  })

  t.test('the _<UOM> forms compare in that unit, converting between units of one dimension', async (t) => {
    t.same(await names('EQ_quantity_KGM=25'), ['rice'])
    t.same(await names('EQ_quantity_GRM=25000'), ['rice'], '25 KGM is 25000 GRM')
    t.same(await names('EQ_quantity_KGM=0.8'), ['pepper'], '800 GRM is 0.8 KGM')
    t.same(await names('EQ_quantity_KGM=30'), [], 'a quantity without unit has no KGM')
    t.same(await names('GT_quantity_KGM=1'), ['rice', 'mill'], '1.5 TNE and 1400 KGM; 800 GRM is not more than 1 KGM')
    t.same(await names('GE_quantity_KGM=1500'), ['mill'])
    t.same(await names('LT_quantity_KGM=1'), ['pepper'])
    t.same(await names('LE_quantity_TNE=0.025'), ['rice', 'pepper'])
    t.same(await names('EQ_quantity_LTR=25'), [], 'volume is not mass')
    t.same(await names('EQ_quantity_XYZ=25'), [], 'an unknown but well-formed unit only matches itself')
  })

  t.test('EQ_bizTransaction_<type>', async (t) => {
    const po = 'urn:epcglobal:cbv:bt:8934567000003:PO-1'
    t.same(await names(qs({ EQ_bizTransaction_po: po })), ['rice'], 'the type is part of the match')
    t.same(await names(qs({ EQ_bizTransaction_inv: po })), ['pepper'])
    t.same(await names(qs({ EQ_bizTransaction_desadv: 'urn:epcglobal:cbv:bt:8934567000003:ASN-9' })), ['pepper'], 'Web URI types')
    t.same(await names(qs({ EQ_bizTransaction_po: 'urn:epcglobal:cbv:bt:8934567000003:PO-2' })), [])
    const gdti = 'urn:epc:id:gdti:8934567.00001.INV7'
    t.same(await names(qs({ EQ_bizTransaction_inv: gdti })), ['eggs'], 'a GDTI as an EPC URN')
    t.same(await names(qs({ EQ_bizTransaction_inv: 'https://id.gs1.org/253/8934567000017INV7' })), ['eggs'], 'the same GDTI as a Digital Link')
  })

  t.test('EQ_source_<type> and EQ_destination_<type>, identifiers in either form', async (t) => {
    t.same(await names(qs({ EQ_source_owning_party: farmer })), ['rice'])
    t.same(await names(qs({ EQ_source_owning_party: 'https://id.gs1.org/417/8934567000000' })), ['rice'])
    t.same(await names(qs({ EQ_source_possessing_party: farmer })), ['eggs'])
    t.same(await names(qs({ EQ_source_location: farm })), ['pepper'])
    t.same(await names(qs({ EQ_source_location: market })), [])
    t.same(await names(qs({ EQ_destination_owning_party: trader })), ['rice'])
    t.same(await names(qs({ EQ_destination_location: market })), ['pepper'])
    t.same(await names(qs({ EQ_destination_owning_party: farmer })), [])
  })
})
