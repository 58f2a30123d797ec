import { ERRORS, type ProblemItem } from '../errors.js'
import {
  collectExtensionNames,
  documentShell,
  eventListOf,
  isObject,
  masterDataOf,
  type EpcisEvent,
  type MasterDataElement,
} from '../epcis/document.js'
import { EventContentError, indexEvent, type IndexedEvent } from '../epcis/event-index.js'
import { resolveContext, type ResolvedContext } from '../epcis/json-ld-context.js'
import { validateDocument, validateListedEvent } from '../epcis/schema-validator.js'
import { scanNumbers, withDoubles } from '../epcis/number-check.js'
import { overlongIndexedValue, unstorableString } from '../epcis/storable.js'
import { masterDataKey } from '../query/indexing/master-data-keys.js'
import type { CaptureErrorBehaviour } from '../db/tables/capture-job.js'
import { turnTaker } from './event-loop.js'
import { checkDocumentLimits, checkEventLimits, DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './limits.js'

export interface PreparedEvent {
  /** Position in the document's event list. */
  position: number
  body: EpcisEvent
  indexed: IndexedEvent
}

export interface PreparedCapture {
  context: ResolvedContext
  /**
   * Invalid events, by position: only ever non-empty under `proceed`. Content errors (a bad
   * identifier, say) are added while the events are indexed by eachSlice.
   */
  errors: ProblemItem[]
  eventCount: number
  masterData: MasterDataElement[]
  /**
   * Indexes the valid events a slice at a time and hands each slice on, keeping none, so that a
   * large document never has all its indexes in memory at once. Under `rollback` an invalid event
   * throws; under `proceed` it is added to `errors`. With `release`, each slice's events are dropped from the
   * document once `use` is done with them (a single pass, e.g. the job storing them), so memory falls as it goes.
   */
  eachSlice(size: number, use: (events: PreparedEvent[]) => Promise<void>, options?: { release?: boolean }): Promise<void>
}

export interface PrepareOptions {
  behaviour: CaptureErrorBehaviour
  captureLimit: number
  limits?: CaptureLimits
  /** The GS1 JSON Schema is not checked: the document was converted from XML checked against the XSD. */
  skipSchema?: boolean
}

/**
 * Everything capture does before touching the database, as pure code: find the events, check the
 * count limit, validate against the GS1 schema, resolve the @context and compute each event's index.
 * Under `rollback` any invalid event rejects the document; under `proceed` invalid events are listed
 * and the valid ones go on.
 */
export async function prepareCapture(document: unknown, options: PrepareOptions): Promise<PreparedCapture> {
  if (!isObject(document) || (document.type !== 'EPCISDocument' && document.type !== 'EPCISQueryDocument')) {
    throw ERRORS.validation('The capture body must be an EPCISDocument or an EPCISQueryDocument', [
      { pointer: '/type', message: "must be 'EPCISDocument' or 'EPCISQueryDocument'" },
    ])
  }
  const list = eventListOf(document)
  if (list && list.events.length > options.captureLimit) {
    throw ERRORS.captureLimitExceeded(
      `The document holds ${list.events.length} events; this repository captures at most ${options.captureLimit} per request`,
    )
  }
  const limits = options.limits ?? DEFAULT_CAPTURE_LIMITS
  const shell = documentShell(document)
  const masterData = masterDataOf(document)
  checkDocumentLimits(shell, masterData.length, limits)
  checkDocumentStorable(shell, masterData)
  const turn = turnTaker()
  const listed = list?.events ?? []
  const names = new Set<string>()
  for (let position = 0; position < listed.length; position++) {
    checkEventLimits(listed[position], `${list!.pointer}/${position}`, limits)
    collectExtensionNames(listed[position], names)
    await turn()
  }
  const errors: ProblemItem[] = []
  const invalid = new Set<number>()
  const numbers = scanNumbers(document)
  if (numbers.refused.length > 0) {
    const byEvent = numbers.refused.map((item) => ({ ...item, eventIndex: list ? eventIndexOf(item.pointer ?? '', list.pointer) : undefined }))
    if (options.behaviour === 'rollback' || byEvent.some((item) => item.eventIndex === undefined)) {
      throw ERRORS.validation(numberMessage, numbers.refused)
    }
    for (const item of byEvent) invalid.add(item.eventIndex!)
    errors.push(...byEvent)
  }
  if (!options.skipSchema) {
    // The validator knows numbers only as doubles: it checks copies where exact numbers are the nearest ones.
    const checkable = (value: unknown) => (numbers.exact ? withDoubles(value) : value) as Record<string, unknown>
    if (listed.length === 0) {
      const whole = validateDocument(checkable(document))
      if (!whole.valid) throw ERRORS.validation(schemaMessage, whole.errors)
    } else {
      // The document around its events, then each event, the event loop turning between them: the same verdict
      // as the whole document at once, without holding up everything else for as long as a large document takes.
      const head = validateDocument(checkable(shell))
      if (!head.valid) throw ERRORS.validation(schemaMessage, head.errors)
      for (let position = 0; position < listed.length; position++) {
        if (invalid.has(position)) continue
        const result = validateListedEvent(checkable(listed[position]), `${list!.pointer}/${position}`)
        if (!result.valid) {
          if (options.behaviour === 'rollback') throw ERRORS.validation(schemaMessage, result.errors)
          invalid.add(position)
          errors.push(...result.errors.map((e) => ({ ...e, eventIndex: position })))
        }
        await turn()
      }
    }
  }
  const events = (list?.events ?? []) as EpcisEvent[]
  const context = await resolveContext(document['@context'], names)
  const eachSlice = async (size: number, use: (slice: PreparedEvent[]) => Promise<void>, { release = false } = {}) => {
    const setting = { context, pointer: list?.pointer ?? '', behaviour: options.behaviour, errors }
    for (let start = 0; start < events.length; start += size) {
      const slice: PreparedEvent[] = []
      for (let position = start; position < Math.min(events.length, start + size); position++) {
        if (invalid.has(position)) continue
        const prepared = prepareListedEvent(events[position]!, position, setting)
        if (prepared) slice.push(prepared)
        await turn()
      }
      await use(slice)
      if (release) (events as unknown[]).fill(undefined, start, Math.min(events.length, start + size))
    }
  }
  return { context, errors, eventCount: events.length, masterData, eachSlice }
}

export interface ListedEventSetting {
  context: ResolvedContext
  /** JSON pointer of the document's event list, for error messages. */
  pointer: string
  behaviour: CaptureErrorBehaviour
  /** Where an invalid event's error is added under `proceed`. */
  errors: ProblemItem[]
}

/**
 * One event of a document's event list, indexed. An event whose content is invalid (a bad identifier,
 * say) rejects the document under `rollback`; under `proceed` its error is listed and it is left out.
 */
export function prepareListedEvent(body: EpcisEvent, position: number, setting: ListedEventSetting): PreparedEvent | undefined {
  try {
    return { position, body, indexed: indexEvent(body, setting.context, `${setting.pointer}/${position}`) }
  } catch (error) {
    if (!(error instanceof EventContentError)) throw error
    const item = { pointer: error.pointer, message: error.message, eventIndex: position }
    if (setting.behaviour === 'rollback') throw ERRORS.validation(contentMessage, [item])
    setting.errors.push(item)
    return undefined
  }
}

const schemaMessage = 'The document does not conform to the EPCIS 2.0 JSON Schema'
const numberMessage = 'A number of the document cannot be kept exactly as sent'

/** The position of the event a JSON pointer lies in, or undefined when it is outside the event list. */
function eventIndexOf(pointer: string, listPointer: string): number | undefined {
  if (!pointer.startsWith(`${listPointer}/`)) return undefined
  const position = Number(pointer.slice(listPointer.length + 1).split('/')[0])
  return Number.isInteger(position) ? position : undefined
}
const contentMessage = 'An event of the document holds an invalid value'

/**
 * The document around its events must be storable as it is: no string PostgreSQL cannot hold, and master-data
 * identifiers short enough for their indexes. A fault here is the document's, whatever the error behaviour.
 */
export function checkDocumentStorable(shell: Record<string, unknown>, masterData: MasterDataElement[]): void {
  const unstorable = unstorableString(shell, '')
  if (unstorable) throw ERRORS.validation('The document holds a value that cannot be stored', [unstorable])
  for (const element of masterData) {
    const overlong = overlongIndexedValue([
      ['a vocabulary type', element.type],
      ['a master-data element id', element.id],
      ['a master-data element key', masterDataKey(element.type, element.id)],
      ...element.children.map((child): [string, string] => ['a master-data child id', masterDataKey(element.type, child)]),
    ])
    if (overlong) throw ERRORS.validation('The document holds a value that cannot be stored', [{ pointer: '/epcisHeader/epcisMasterData', message: overlong }])
  }
}

/** POST /events: one event with its own @context. */
export async function prepareSingleEvent(
  event: unknown,
  limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
): Promise<{ context: ResolvedContext; event: PreparedEvent }> {
  if (!isObject(event) || typeof event.type !== 'string' || !('eventTime' in event)) {
    throw ERRORS.validation('The body must be a single EPCIS event', [
      { pointer: '/', message: 'must be an EPCIS event object with type and eventTime' },
    ])
  }
  checkEventLimits(event, '', limits)
  const numbers = scanNumbers(event)
  if (numbers.refused.length > 0) throw ERRORS.validation('A number of the event cannot be kept exactly as sent', numbers.refused)
  const result = validateDocument(numbers.exact ? withDoubles(event) : event)
  if (!result.valid) throw ERRORS.validation(schemaMessage, result.errors)
  const { '@context': rawContext, ...body } = event
  const context = await resolveContext(rawContext, collectExtensionNames(body, new Set()))
  try {
    return { context, event: { position: 0, body, indexed: indexEvent(body, context, '') } }
  } catch (error) {
    if (error instanceof EventContentError) {
      throw ERRORS.validation(contentMessage, [{ pointer: error.pointer || '/', message: error.message }])
    }
    throw error
  }
}
