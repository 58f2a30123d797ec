import { EPCIS_CONTEXT_URL } from '../src/epcis/known-contexts.js'

type Json = Record<string, unknown>

let counter = 0

/** A schema-valid ObjectEvent; fields can be overridden. */
export function objectEvent(overrides: Json = {}): Json {
  counter += 1
  return {
    type: 'ObjectEvent',
    eventTime: '2024-05-01T08:00:00.000+07:00',
    eventTimeZoneOffset: '+07:00',
    epcList: [`urn:epc:id:sgtin:8934567.012345.${counter}`],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:8934567.00001.0' },
    ...overrides,
  }
}

/** An EPCISDocument holding the given events. */
export function epcisDocument(events: Json[], extraContext: Json[] = [], header?: Json): Json {
  return {
    '@context': [EPCIS_CONTEXT_URL, ...extraContext],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-05-01T09:00:00.000+07:00',
    ...(header ? { epcisHeader: header } : {}),
    epcisBody: { eventList: events },
  }
}

export type { Json }
