import { randomUUID } from 'node:crypto'
import { findKnownPrefixes } from '../company-prefix/repository.js'
import type { Db } from '../db/database.js'
import { digitalLinksOf, formatEventIdentifiers, type EpcFormat } from '../epcis/epc-format.js'
import { companyPrefixCandidates, type CompanyPrefixLength } from '../identifiers/index.js'
import { mergeContexts } from '../query/render.js'
import type { StoredEventRow } from '../query/repository.js'
import { eventRenderer, type BatchEvent, type Render, type RenderedEvent, type Translation } from './event-renderer.js'

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

/**
 * The EPCISQueryDocument of one delivery, in the subscription's GS1-EPC-Format, as the exact bytes to send and sign,
 * in pieces: each event's JSON text as the instance's shared renderer keeps it, and the page around them written here,
 * key for key as JSON.stringify would write the document object (an event whose prefixes clash with the page's carries
 * its own @context first). The cached event texts are not joined here: the signer reads the pieces as they are, and the
 * webhook sender copies them into memory it uses again (src/subscriptions/body-buffers.ts).
 */
export async function deliveryDocument(db: Db, rows: BatchEvent[], settings: DocumentSettings): Promise<Buffer[]> {
  const format = settings.epcFormat
  const translation: Translation =
    format === 'Always_EPC_URN'
      ? {
          cacheable: false,
          renderFor: async (stored: StoredEventRow[]): Promise<Render> => {
            const prefixLength = await prefixLengths(db, stored)
            return (event) => formatEventIdentifiers(event, format, prefixLength)
          },
        }
      : { cacheable: true, render: (event) => formatEventIdentifiers(event, format) }
  const events = await eventRenderer(db).render(rows, format, translation)
  const { context, ownContext } = mergedContexts(events)
  const parts: Buffer[] = []
  events.forEach((event, index) => {
    if (index > 0) parts.push(COMMA)
    parts.push(ownContext.has(event.context) ? withOwnContext(event.json, event.context) : event.json)
  })
  const head = JSON.stringify({
    '@context': context,
    id: `urn:uuid:${randomUUID()}`,
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
  })
  const queryResults = `{"queryName":${JSON.stringify(settings.queryName)},"subscriptionID":${JSON.stringify(settings.subscriptionId)},"resultsBody":{"eventList":[`
  return [Buffer.from(`${head.slice(0, -1)},"epcisBody":{"queryResults":${queryResults}`), ...parts, TAIL]
}

const COMMA = Buffer.from(',')
const TAIL = Buffer.from(']}}}}')

/**
 * mergeContexts over each distinct @context once (the renderer shares one object per stored context), in
 * order of first use. Exact: merged prefixes never change value, so a context that merged (or clashed)
 * once does so again. Answers the contexts whose events carry their own @context.
 */
function mergedContexts(events: RenderedEvent[]): { context: unknown[]; ownContext: Set<unknown[] | null> } {
  const distinct = [...new Set(events.map((e) => e.context))]
  const merged = mergeContexts(distinct.map((context) => ({ context }) as StoredEventRow))
  return { context: merged.context, ownContext: new Set([...merged.ownContext].map((index) => distinct[index]!)) }
}

function withOwnContext(json: Buffer, context: unknown[] | null): Buffer {
  const own = `{"@context":${JSON.stringify(context)}`
  return json.length === 2 ? Buffer.from(`${own}}`) : Buffer.concat([Buffer.from(`${own},`), json.subarray(1)])
}
