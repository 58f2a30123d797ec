import t from 'tap'
import { IdentifierRole } from '../../src/db/tables/event-identifier.js'
import type { IndexedEvent } from '../../src/epcis/event-index.js'
import { canonicalIdentifier } from '../../src/identifiers/index.js'
import { lotKeyOf, lotMembershipsOf } from '../../src/traceability/lot-membership.js'

const serial = canonicalIdentifier('urn:epc:id:sgtin:8934567.012345.1001')
const gtin = serial.split('/')[4]

function indexed(identifiers: Array<[number, string]>, extensions: Record<string, unknown> | null): IndexedEvent {
  return {
    identifiers: identifiers.map(([role, identifier]) => ({ role, identifier, quantity: null, uom: null })),
    extensions,
  } as unknown as IndexedEvent
}

t.test('an ILMD lotNumber puts the commissioned or produced serials in that lot', async (t) => {
  const ilmd = { ilmd: { 'urn:epcglobal:cbv:mda:lotNumber': 'L-7' } }
  t.same(lotMembershipsOf({}, indexed([[IdentifierRole.epc, serial]], ilmd)), [
    { instance: serial, lot: `https://id.gs1.org/01/${gtin}/10/L-7` },
  ])
  t.same(lotMembershipsOf({}, indexed([[IdentifierRole.output, serial]], ilmd)).length, 1, 'outputs of a transformation')
  t.same(lotMembershipsOf({}, indexed([[IdentifierRole.input, serial]], ilmd)), [], 'not its inputs')
  const sscc = canonicalIdentifier('urn:epc:id:sscc:8934567.1000000001')
  t.same(lotMembershipsOf({}, indexed([[IdentifierRole.epc, sscc]], ilmd)), [], 'an SSCC has no lots')
  const xmlBorn = { ilmd: { 'urn:epcglobal:cbv:mda:lotNumber': { '#text': 'L-8' } } }
  const [fromXml] = lotMembershipsOf({}, indexed([[IdentifierRole.epc, serial]], xmlBorn))
  t.equal(fromXml?.lot, `https://id.gs1.org/01/${gtin}/10/L-8`)
  t.same(lotMembershipsOf({}, indexed([[IdentifierRole.epc, serial]], null)), [])
})

t.test('a Digital Link with a lot qualifier states the lot of its serial', async (t) => {
  const body = {
    epcList: [`https://example.com/gtin/${gtin}/lot/AB%2F1/ser/1001`],
    parentID: `https://id.gs1.org/01/${gtin}/10/Z/21/9`,
  }
  const found = lotMembershipsOf(body, indexed([], null))
  t.same(found.map((m) => m.lot).sort(), [`https://id.gs1.org/01/${gtin}/10/AB%2F1`, `https://id.gs1.org/01/${gtin}/10/Z`])
  t.same(found.map((m) => m.instance).sort(), [serial, `https://id.gs1.org/01/${gtin}/21/9`])
  const lotClass = { epcList: [`https://id.gs1.org/01/${gtin}/10/L1`] }
  t.same(lotMembershipsOf(lotClass, indexed([], null)), [], 'a lot class is no member')
})

t.test('lotKeyOf', async (t) => {
  t.equal(lotKeyOf(serial, 'X 1'), undefined, 'a space is not allowed in AI (10)')
  t.equal(lotKeyOf(canonicalIdentifier('urn:epc:id:sgln:8934567.00001.0'), 'L'), undefined)
})
