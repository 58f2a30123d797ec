/** The large EPCIS 2.0 XML capture document of the xml-capture scenario (about 50 MB of ObjectEvents). */
const TARGET_BYTES = 50 * 1024 * 1024

function objectEventXml(i: number): string {
  const serial = 100000 + i
  return `<ObjectEvent><eventTime>2024-05-0${1 + (i % 9)}T0${i % 10}:15:00.000+07:00</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
<epcList><epc>urn:epc:id:sgtin:8934567.012345.${serial}</epc><epc>urn:epc:id:sgtin:8934567.012345.${serial}A</epc></epcList>
<action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep><disposition>urn:epcglobal:cbv:disp:in_transit</disposition>
<readPoint><id>urn:epc:id:sgln:8934567.00001.${i % 500}</id></readPoint><bizLocation><id>urn:epc:id:sgln:8934567.00001.0</id></bizLocation>
<bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:8934567000017:PO-${i}</bizTransaction></bizTransactionList>
<sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:8934567.00001</source></sourceList>
<destinationList><destination type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:8934568.00002</destination></destinationList>
<vn:lo>Lô ${i % 97}</vn:lo></ObjectEvent>
`
}

/** An EPCIS 2.0 XML document of about TARGET_BYTES, and how many events it holds. */
export function largeXmlDocument(): { xml: string; events: number } {
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:vn="https://nguon.example.vn/epcis/" schemaVersion="2.0" creationDate="2024-05-01T00:00:00Z"><EPCISBody><EventList>\n`,
  ]
  let bytes = parts[0]!.length
  let events = 0
  while (bytes < TARGET_BYTES) {
    const event = objectEventXml(events++)
    parts.push(event)
    bytes += Buffer.byteLength(event)
  }
  parts.push('</EventList></EPCISBody></epcis:EPCISDocument>\n')
  return { xml: parts.join(''), events }
}
