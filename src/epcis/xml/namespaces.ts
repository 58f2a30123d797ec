/** XML namespaces of EPCIS itself: their elements are EPCIS structure, never extensions. */
export const NS = {
  epcis2: 'urn:epcglobal:epcis:xsd:2',
  epcis1: 'urn:epcglobal:epcis:xsd:1',
  query2: 'urn:epcglobal:epcis-query:xsd:2',
  query1: 'urn:epcglobal:epcis-query:xsd:1',
  masterData2: 'urn:epcglobal:epcis-masterdata:xsd:2',
  masterData1: 'urn:epcglobal:epcis-masterdata:xsd:1',
  sbdh: 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
  problem: 'urn:ietf:rfc:7807',
} as const

const EPCIS_NAMESPACES: ReadonlySet<string> = new Set([NS.epcis2, NS.epcis1, NS.query2, NS.query1, NS.masterData2, NS.masterData1])

/**
 * True for the namespaces whose elements are EPCIS structure. EPCIS elements are unqualified in valid
 * documents, but some producers put them in the EPCIS namespace through a default `xmlns`; both are read alike.
 */
export function isEpcisNamespace(uri: string): boolean {
  return uri === '' || EPCIS_NAMESPACES.has(uri)
}

/** Namespaces that only carry XML machinery and never become JSON-LD properties. */
export function isXmlMachineryNamespace(uri: string): boolean {
  return uri === NS.xsi || uri === NS.xml
}

/**
 * Where the XML and JSON-LD bindings spell one namespace differently. CBV master data attributes live in
 * the XML namespace `urn:epcglobal:cbv:mda` while the GS1 context's `cbvmda` prefix is `urn:epcglobal:cbv:mda:`.
 */
export const XML_NAMESPACE_OF_GS1_PREFIX: ReadonlyMap<string, string> = new Map([['cbvmda', 'urn:epcglobal:cbv:mda']])
