import { findKnownPrefixes } from '../company-prefix/repository.js'
import type { Db } from '../db/database.js'
import { digitalLinksOf, formatEventIdentifiers, type EpcFormat } from '../epcis/epc-format.js'
import { companyPrefixCandidates, type CompanyPrefixLength } from '../identifiers/index.js'
import { queryDocument } from '../query/render.js'
import type { StoredEventRow } from '../query/repository.js'

export interface DocumentSettings {
  queryName: string
  subscriptionId: string
  epcFormat: EpcFormat
}

async function prefixLengths(db: Db, rows: StoredEventRow[]): Promise<CompanyPrefixLength> {
  const candidates = new Set<string>()
  for (const row of rows) for (const uri of digitalLinksOf(row.body)) for (const c of companyPrefixCandidates(uri) ?? []) candidates.add(c)
  const known = await findKnownPrefixes(db, [...candidates])
  return (keyDigits) => {
    for (let length = Math.min(12, keyDigits.length); length >= 4; length--) if (known.has(keyDigits.slice(0, length))) return length
    return undefined
  }
}

/** The EPCISQueryDocument of one delivery, in the subscription's GS1-EPC-Format, as the exact bytes to send and sign. */
export async function deliveryDocument(db: Db, rows: StoredEventRow[], settings: DocumentSettings): Promise<Buffer> {
  const prefixLength = settings.epcFormat === 'Always_EPC_URN' ? await prefixLengths(db, rows) : undefined
  const document = queryDocument(rows, (event) => formatEventIdentifiers(event, settings.epcFormat, prefixLength), settings.queryName)
  const results = (document.epcisBody as { queryResults: Record<string, unknown> }).queryResults
  ;(document.epcisBody as { queryResults: Record<string, unknown> }).queryResults = {
    queryName: settings.queryName,
    subscriptionID: settings.subscriptionId,
    resultsBody: results.resultsBody,
  }
  return Buffer.from(JSON.stringify(document))
}
