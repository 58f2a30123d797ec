/** Walking EPCIS 2.0 JSON-LD documents: where the events and the master data are. */
import { isExactNumber } from './exact-number.js'

export type EpcisEvent = Record<string, unknown>
export type EpcisDocument = Record<string, unknown>

export const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const

/** A JSON object (an exact number, also a JS object, is a number here). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isExactNumber(value)
}

export interface EventListLocation {
  events: unknown[]
  /** JSON pointer of the event list, for error messages. */
  pointer: string
}

/** The event list of an EPCISDocument or an EPCISQueryDocument, or undefined for anything else. */
export function eventListOf(document: unknown): EventListLocation | undefined {
  if (!isObject(document) || !isObject(document.epcisBody)) return undefined
  const body = document.epcisBody
  if (document.type === 'EPCISDocument' && Array.isArray(body.eventList)) {
    return { events: body.eventList, pointer: '/epcisBody/eventList' }
  }
  if (document.type === 'EPCISQueryDocument' && isObject(body.queryResults)) {
    const results = body.queryResults.resultsBody
    if (isObject(results) && Array.isArray(results.eventList)) {
      return { events: results.eventList, pointer: '/epcisBody/queryResults/resultsBody/eventList' }
    }
    return { events: [], pointer: '/epcisBody/queryResults/resultsBody/eventList' }
  }
  return undefined
}

/** An EPCISDocument or EPCISQueryDocument with an empty event list, sharing everything else with it. */
export function documentShell(document: EpcisDocument): EpcisDocument {
  const body = isObject(document.epcisBody) ? document.epcisBody : {}
  if (document.type !== 'EPCISQueryDocument') return { ...document, epcisBody: { ...body, eventList: [] } }
  const queryResults = isObject(body.queryResults) ? body.queryResults : {}
  const resultsBody = isObject(queryResults.resultsBody) ? queryResults.resultsBody : {}
  return { ...document, epcisBody: { ...body, queryResults: { ...queryResults, resultsBody: { ...resultsBody, eventList: [] } } } }
}

export interface MasterDataElement {
  type: string
  id: string
  attributes: Array<{ id: string; attribute?: unknown }>
  children: string[]
}

/** The vocabulary elements in epcisHeader.epcisMasterData, flattened. */
export function masterDataOf(document: unknown): MasterDataElement[] {
  if (!isObject(document) || !isObject(document.epcisHeader)) return []
  const masterData = document.epcisHeader.epcisMasterData
  if (!isObject(masterData) || !Array.isArray(masterData.vocabularyList)) return []
  const elements: MasterDataElement[] = []
  for (const vocabulary of masterData.vocabularyList) {
    if (!isObject(vocabulary) || typeof vocabulary.type !== 'string') continue
    for (const element of Array.isArray(vocabulary.vocabularyElementList) ? vocabulary.vocabularyElementList : []) {
      if (!isObject(element) || typeof element.id !== 'string') continue
      elements.push({
        type: vocabulary.type,
        id: element.id,
        attributes: Array.isArray(element.attributes) ? (element.attributes as MasterDataElement['attributes']) : [],
        children: Array.isArray(element.children) ? element.children.filter((c): c is string => typeof c === 'string') : [],
      })
    }
  }
  return elements
}

/** Every property name containing a colon (extension names and absolute IRIs) anywhere under a value. */
export function collectExtensionNames(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectExtensionNames(item, into)
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '@context') continue
      if (key.includes(':')) into.add(key)
      collectExtensionNames(child, into)
    }
  }
  return into
}
