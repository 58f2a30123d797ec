import { isObject } from '../epcis/document.js'
import { ERRORS } from '../errors.js'

/** Bounds on the work one capture request may cause; anything beyond is refused with 413. */
export interface CaptureLimits {
  /** EPCs and quantity elements of one event, all its lists together (MAX_EPCS_PER_EVENT). */
  maxEpcsPerEvent: number
  /** Property names of one JSON object, anywhere in the document (MAX_KEYS_PER_OBJECT). */
  maxKeysPerObject: number
  /** Master-data elements (vocabulary elements) of one document (MAX_MASTER_DATA_ELEMENTS). */
  maxMasterDataElements: number
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = {
  maxEpcsPerEvent: 10_000,
  maxKeysPerObject: 1_000,
  maxMasterDataElements: 10_000,
}

const IDENTIFIER_LISTS = [
  'epcList', 'childEPCs', 'inputEPCList', 'outputEPCList',
  'quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList',
]

/** Refuses an event (a member of an event list, or a POST /events body) beyond the per-event limits. */
export function checkEventLimits(event: unknown, pointer: string, limits: CaptureLimits): void {
  if (!isObject(event)) return
  let identifiers = 0
  for (const field of IDENTIFIER_LISTS) {
    const list = event[field]
    if (Array.isArray(list)) identifiers += list.length
  }
  if (identifiers > limits.maxEpcsPerEvent) {
    throw ERRORS.captureLimitExceeded(
      `The event at ${pointer || '/'} lists ${identifiers} EPCs and quantity elements; this repository accepts at most ` +
        `${limits.maxEpcsPerEvent} per event (MAX_EPCS_PER_EVENT)`,
      [{ pointer: pointer || '/', message: `lists ${identifiers} EPCs and quantity elements, more than ${limits.maxEpcsPerEvent}` }],
    )
  }
  checkObjectWidths(event, pointer, limits)
}

/** Refuses a document whose header or master data is beyond the limits (its events are checked one by one). */
export function checkDocumentLimits(shell: unknown, masterDataElements: number, limits: CaptureLimits): void {
  if (masterDataElements > limits.maxMasterDataElements) {
    throw ERRORS.captureLimitExceeded(
      `The document holds ${masterDataElements} master-data elements; this repository accepts at most ` +
        `${limits.maxMasterDataElements} per document (MAX_MASTER_DATA_ELEMENTS)`,
      [{ pointer: '/epcisHeader/epcisMasterData', message: `holds ${masterDataElements} elements, more than ${limits.maxMasterDataElements}` }],
    )
  }
  checkObjectWidths(shell, '', limits)
}

/** A node of the walk with the way back to its root: its pointer is spelt only for an object that is refused. */
interface Visit {
  node: object
  parent: Visit | undefined
  key: string
}

function pointerOf(visit: Visit, root: string): string {
  const keys: string[] = []
  for (let at: Visit | undefined = visit; at?.parent !== undefined; at = at.parent) keys.push(at.key)
  return root + keys.reverse().map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

function checkObjectWidths(value: unknown, pointer: string, limits: CaptureLimits): void {
  if (value === null || typeof value !== 'object') return
  const stack: Visit[] = [{ node: value, parent: undefined, key: '' }]
  while (stack.length > 0) {
    const visit = stack.pop()!
    const node = visit.node
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) if (node[i] !== null && typeof node[i] === 'object') stack.push({ node: node[i], parent: visit, key: String(i) })
      continue
    }
    const keys = Object.keys(node)
    if (keys.length > limits.maxKeysPerObject) {
      const at = pointerOf(visit, pointer)
      throw ERRORS.captureLimitExceeded(
        `The object at ${at || '/'} has ${keys.length} properties; this repository accepts at most ` +
          `${limits.maxKeysPerObject} per object (MAX_KEYS_PER_OBJECT)`,
        [{ pointer: at || '/', message: `has ${keys.length} properties, more than ${limits.maxKeysPerObject}` }],
      )
    }
    for (const key of keys) {
      const child = (node as Record<string, unknown>)[key]
      if (child !== null && typeof child === 'object') stack.push({ node: child, parent: visit, key })
    }
  }
}
