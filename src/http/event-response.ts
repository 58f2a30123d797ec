import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findKnownPrefixes } from '../company-prefix/repository.js'
import { DEFAULT_EPC_FORMAT, digitalLinksOf, EPC_FORMATS, formatEventIdentifiers, type EpcFormat } from '../epcis/epc-format.js'
import { ERRORS } from '../errors.js'
import { renderQueryDocumentXml, type CbvXmlFormat } from '../epcis/xml/index.js'
import { companyPrefixCandidates, type CompanyPrefixLength } from '../identifiers/index.js'
import { queryDocument } from '../query/render.js'
import type { StoredEventRow } from '../query/repository.js'
import { negotiate } from './negotiate.js'
import { sendSerialized } from './send-text.js'

const EVENT_MEDIA_TYPES = ['application/json', 'application/ld+json', 'application/xml', 'text/xml']
const CBV_XML_FORMATS: readonly CbvXmlFormat[] = ['Always_URN', 'Always_Web_URI', 'Never_Translates', 'No_Preference']

export function epcFormatOf(request: FastifyRequest): EpcFormat {
  const header = request.headers['gs1-epc-format']
  if (header === undefined) return DEFAULT_EPC_FORMAT
  const value = Array.isArray(header) ? header[0] : header
  const format = EPC_FORMATS.find((f) => f.toLowerCase() === value?.trim().toLowerCase())
  if (!format) throw ERRORS.validation(`GS1-EPC-Format must be one of ${EPC_FORMATS.join(', ')}`)
  return format
}

/** GS1-CBV-XML-Format (XML answers only); No_Preference, the default, writes CBV values as URNs. */
export function cbvXmlFormatOf(request: FastifyRequest): CbvXmlFormat {
  const header = request.headers['gs1-cbv-xml-format']
  if (header === undefined) return 'No_Preference'
  const value = Array.isArray(header) ? header[0] : header
  const format = CBV_XML_FORMATS.find((f) => f.toLowerCase() === value?.trim().toLowerCase())
  if (!format) throw ERRORS.validation(`GS1-CBV-XML-Format must be one of ${CBV_XML_FORMATS.join(', ')}`)
  return format
}

/** Company Prefix lengths for the Digital Links of a page, from one query over all their candidates. */
async function prefixLengthsFor(app: FastifyInstance, rows: StoredEventRow[]): Promise<CompanyPrefixLength> {
  const candidates = new Set<string>()
  for (const row of rows) {
    for (const uri of digitalLinksOf(row.body)) for (const c of companyPrefixCandidates(uri) ?? []) candidates.add(c)
  }
  const known = await findKnownPrefixes(app.db, [...candidates])
  return (keyDigits) => {
    for (let length = Math.min(12, keyDigits.length); length >= 4; length--) {
      if (known.has(keyDigits.slice(0, length))) return length
    }
    return undefined
  }
}

/**
 * Answers an EPCISQueryDocument of stored events, in the media type the client accepts and with
 * identifiers in the GS1-EPC-Format it asks for (Digital Link by default). `queryName` is the named query's
 * name for /queries/{queryName}/events, else SimpleEventQuery.
 */
export async function sendEventDocument(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  rows: StoredEventRow[],
  queryName = 'SimpleEventQuery',
  /** Adds to the JSON-LD answer (the provenance shown to auditors); the XML answer is left as it is. */
  decorate: (document: Record<string, unknown>) => Record<string, unknown> = (document) => document,
): Promise<FastifyReply> {
  const mediaType = negotiate(request, EVENT_MEDIA_TYPES)
  const format = epcFormatOf(request)
  const prefixLength = format === 'Always_EPC_URN' ? await prefixLengthsFor(app, rows) : undefined
  const document = queryDocument(rows, (event) => formatEventIdentifiers(event, format, prefixLength), queryName)
  reply.header('GS1-EPC-Format', format)
  if (mediaType.endsWith('xml')) {
    const cbvFormat = cbvXmlFormatOf(request)
    const events = ((document.epcisBody as { queryResults: { resultsBody: { eventList: object[] } } }).queryResults
      .resultsBody.eventList)
    reply.header('GS1-CBV-XML-Format', cbvFormat)
    return sendSerialized(reply, mediaType, renderQueryDocumentXml(events, { context: document['@context'] as unknown[], cbvFormat, queryName }))
  }
  return sendSerialized(reply, mediaType, JSON.stringify(decorate(document)))
}
