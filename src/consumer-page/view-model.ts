import { canonicalVocabulary } from '../epcis/canonical.js'
import { FIELD_VOCABULARY_TYPE, PRODUCT_TYPES, SOURCE_DEST_TYPES } from '../epcis/vocabulary-types.js'
import { aiDefinition, type ParsedDigitalLink } from '../identifiers/index.js'
import { keyLevels } from '../resolver/key-levels.js'
import type { LineageAnswer } from '../traceability/service.js'
import type { TraceDb } from '../traceability/walk.js'
import { lineageOrUnknown } from './lineage.js'
import { imageUrl, localisedText, PLACE_NAME, PRODUCT_DESCRIPTION, PRODUCT_NAME } from './master-data-text.js'
import { productDates, type ProductDates } from './product-dates.js'
import {
  eventKeysNamingKey,
  eventsNaming,
  findEventLinks,
  findMasterData,
  findPageEvents,
  findPersistentDispositions,
  findSensorRanges,
  type EventLinkView,
  type MasterDataEntry,
  type PageEventRow,
  type SensorRange,
} from './repository.js'
import { certifications, timeline, type Certification, type TimelineEntry } from './timeline.js'
import { textsFor, type PageLanguage } from './translations.js'
import { warningsOf, type PageWarning } from './warnings.js'

export interface LabelledValue {
  label: string
  value: string
}

/** Everything the consumer page shows, already in the page language; nothing else is read into it. */
export interface PageModel {
  language: PageLanguage
  productName: string
  description?: string
  image?: string
  identifiers: LabelledValue[]
  dates: ProductDates
  warnings: PageWarning[]
  journey: TimelineEntry[]
  certifications: Certification[]
  coldChain: SensorRange[]
  truncated: boolean
}

const TEMPERATURE = canonicalVocabulary('measurementType', 'Temperature')
const LOT_AI = '10'

const LOT_OF_KEY = /\/10\/([^/]+)$/

/** The key's elements; for a serial whose lot the walk found (ILMD lotNumber, Digital Link), its lot too. */
function identifierRows(parsed: ParsedDigitalLink, lotKey: string | undefined, language: PageLanguage): LabelledValue[] {
  const texts = textsFor(language)
  const own: Record<string, string> = { '01': texts.gtin, [LOT_AI]: texts.lot, '21': texts.serial }
  const elements = [parsed.primaryKey, ...parsed.qualifiers]
  const lot = LOT_OF_KEY.exec(lotKey ?? '')?.[1]
  if (lot !== undefined && !elements.some((e) => e.ai === LOT_AI)) elements.splice(1, 0, { ai: LOT_AI, value: decodeURIComponent(lot) })
  return elements.map(({ ai, value }) => ({ label: own[ai] ?? aiDefinition(ai)?.title ?? `(${ai})`, value }))
}

/** The first master data (most granular level first) that says something, and the owner's flag of the first that sets it. */
function productMasterData(levels: readonly string[], masterData: ReadonlyMap<string, MasterDataEntry>) {
  const entries = levels.map((key) => masterData.get(key)).filter((e): e is MasterDataEntry => e !== undefined)
  return {
    entries,
    allowCommercialFields: entries.find((e) => e.allowCommercialFields !== undefined)?.allowCommercialFields ?? false,
  }
}

/**
 * Names of the places the journey shows, each from the master data of its own vocabulary type: an
 * event's business location (BusinessLocation), else its read point (ReadPoint), and sources and
 * destinations (SourceDest, Party). A key named in several roles keeps the name of the first role here.
 */
async function placeNames(
  db: TraceDb['db'],
  events: readonly PageEventRow[],
  links: readonly EventLinkView[] | undefined,
  language: PageLanguage,
): Promise<Map<string, string>> {
  const bizLocations = events.map((e) => e.bizLocation).filter((k): k is string => k !== null)
  const readPoints = events.filter((e) => e.bizLocation === null && e.readPoint !== null).map((e) => e.readPoint!)
  const parties = (links ?? []).filter((l) => l.kind !== 'bizTransaction').map((l) => l.value)
  const found = await Promise.all([
    findMasterData(db, bizLocations, [FIELD_VOCABULARY_TYPE.bizLocation]),
    findMasterData(db, readPoints, [FIELD_VOCABULARY_TYPE.readPoint]),
    findMasterData(db, parties, SOURCE_DEST_TYPES),
  ])
  const names = new Map<string, string>()
  for (const places of found) {
    for (const [key, entry] of places) {
      const name = localisedText(entry.attributes, PLACE_NAME, language)
      if (name && !names.has(key)) names.set(key, name)
    }
  }
  return names
}

/** The lot of the page's product: itself when the key is a lot, else the lot the walk found for a serial. */
function lotKeyOf(root: string, upstream: LineageAnswer | undefined, parsed: ParsedDigitalLink): string | undefined {
  if (parsed.qualifiers.some((q) => q.ai === LOT_AI) && !parsed.qualifiers.some((q) => q.ai === '21')) return root
  return upstream?.nodes.find((n) => n.id === root)?.lot
}

function uniqueEvents(...lists: PageEventRow[][]): PageEventRow[] {
  const byId = new Map<number, PageEventRow>()
  for (const event of lists.flat()) byId.set(event.pk, event)
  return [...byId.values()].sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime() || a.pk - b.pk)
}

function groupLinks(links: EventLinkView[]): Map<number, EventLinkView[]> {
  const byEvent = new Map<number, EventLinkView[]>()
  for (const link of links) byEvent.set(link.eventPk, [...(byEvent.get(link.eventPk) ?? []), link])
  return byEvent
}

/**
 * Reads what the page of a Digital Link shows: the upstream walk (where it came from, and whether it
 * was recalled), for a lot or a product class also the downstream walk (where its packs went: the
 * stores), then only the whitelisted fields of those events. Undefined when nothing is known of it.
 */
export async function consumerPageModel(
  deps: TraceDb,
  parsed: ParsedDigitalLink,
  language: PageLanguage,
): Promise<PageModel | undefined> {
  const texts = textsFor(language)
  const levels = keyLevels(parsed)
  const root = levels[0]!.key
  const [upstream, downstream] = await Promise.all([
    lineageOrUnknown(deps, root, 'upstream'),
    levels[0]!.kind === 'class' ? lineageOrUnknown(deps, root, 'downstream') : Promise.resolve(undefined),
  ])
  const lotKey = lotKeyOf(root, upstream, parsed)
  const productKeys = [...new Set([lotKey, ...levels.map((l) => l.key)].filter((k): k is string => k !== undefined))]
  const productData = await findMasterData(deps.db, productKeys, PRODUCT_TYPES)
  // Without lineage (a product class seen only through its items, a place), the events naming the key
  // make the journey: the resolver offers this page for every key it has seen.
  const direct = upstream ? [] : await eventKeysNamingKey(deps.db, root, levels[0]!.kind)
  if (!upstream && productData.size === 0 && direct.length === 0) return undefined

  const [upstreamEvents, downstreamEvents] = await Promise.all([
    findPageEvents(deps.db, upstream ? { eventIds: upstream.events, nodes: upstream.nodes.map((n) => n.id) } : { pks: direct }),
    findPageEvents(deps.db, { eventIds: downstream?.events ?? [], nodes: (downstream?.nodes ?? []).map((n) => n.id) }),
  ])
  const events = uniqueEvents(upstreamEvents, downstreamEvents)
  const pks = events.map((e) => e.pk)
  const product = productMasterData(productKeys, productData)
  const allNodes = [...(upstream?.nodes ?? []), ...(downstream?.nodes ?? [])]
  const productNodes = allNodes
    .filter((n) => n.id === root || (lotKey !== undefined && (n.id === lotKey || n.lot === lotKey)))
    .map((n) => n.id)

  const [persistent, naming, coldChain, links] = await Promise.all([
    findPersistentDispositions(deps.db, upstreamEvents.map((e) => e.pk)),
    eventsNaming(deps.db, pks, productNodes),
    findSensorRanges(deps.db, pks, TEMPERATURE),
    product.allowCommercialFields ? findEventLinks(deps.db, pks) : Promise.resolve(undefined),
  ])
  const names = await placeNames(deps.db, events, links, language)

  const productText = (attributeNames: readonly string[]) =>
    product.entries.map((e) => localisedText(e.attributes, attributeNames, language)).find((t) => t !== undefined)
  const productName =
    productText(PRODUCT_NAME) ?? allNodes.find((n) => n.id === root)?.productName ?? texts.unnamedProduct
  const description = productText(PRODUCT_DESCRIPTION)
  const image = product.entries.map((e) => imageUrl(e.attributes)).find((url) => url !== undefined)
  const ilmds = events.filter((e) => naming.has(e.pk) && e.ilmd !== null).map((e) => e.ilmd)

  return {
    language,
    productName,
    ...(description && description !== productName ? { description } : {}),
    ...(image ? { image } : {}),
    identifiers: identifierRows(parsed, lotKey, language),
    dates: productDates(ilmds, lotKey ? productData.get(lotKey)?.attributes : undefined, parsed.attributes),
    warnings: upstream ? warningsOf(upstream, upstreamEvents, persistent) : [],
    journey: timeline(events, names, language, texts, links ? groupLinks(links) : undefined),
    certifications: certifications(events, names, texts),
    coldChain,
    truncated: Boolean(upstream?.truncated || downstream?.truncated),
  }
}
