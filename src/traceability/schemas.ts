import { TRACE_LIMITS } from './service.js'

/** JSON Schemas of the /traceability routes: they validate the query, serialise the answers and feed the OpenAPI. */

const epc = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  description:
    'The identifier to trace: an EPC URN or a GS1 Digital Link, of an instance (SGTIN, SSCC, GIAI, ...) or a class ' +
    '(LGTIN lot, product class), e.g. urn:epc:id:sgtin:8934567.012345.1001 or https://id.gs1.org/01/08934567123457/10/L1',
} as const

const at = {
  type: 'string',
  format: 'date-time',
  description: 'Answer as things stood at this time: events that happened (eventTime) later are left out',
} as const

const maxDepth = (byDefault: number) =>
  ({
    type: 'integer',
    minimum: 1,
    maximum: TRACE_LIMITS.maxDepth,
    default: byDefault,
    description:
      'Most hops from the identifier (an input, a lot, a container, a content each count as one); ' +
      'the answer says truncated when the walk had to stop here',
  }) as const

export const lineageQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['epc'],
  properties: {
    epc,
    direction: {
      type: 'string',
      enum: ['upstream', 'downstream', 'both'],
      default: 'both',
      description:
        'upstream: where it came from (inputs of transformations, its lot, the contents of a container, and the ' +
        'containers and shipments it travelled in); downstream: what was made from it and where that went; both',
    },
    maxDepth: maxDepth(TRACE_LIMITS.defaultDepth),
    at,
  },
} as const

export const recallQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['epc'],
  properties: { epc, maxDepth: maxDepth(TRACE_LIMITS.maxDepth), at },
} as const

export const stateQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['epc'],
  properties: { epc, at },
} as const

const text = { type: 'string' } as const
const time = { type: 'string', format: 'date-time' } as const

const identifierProperties = {
  id: {
    type: 'string',
    description: 'Canonical key: the id.gs1.org Digital Link of a GS1 identifier, any other URI as captured',
  },
  kind: { type: 'string', enum: ['instance', 'class', 'location', 'party', 'other'] },
  digitalLink: text,
  epcUrn: { type: 'string', description: 'EPC URN, when the GS1 Company Prefix length is known to the repository' },
  productName: {
    type: 'string',
    description: 'From master data (EPCClass): of a class itself; of a serial, its lot or its product class',
  },
  name: { type: 'string', description: 'From master data, for locations and parties' },
} as const

const whereaboutsProperties = {
  firstSeen: time,
  lastSeen: time,
  lastEventID: text,
  lastBizStep: text,
  firstBizLocation: { type: 'string', description: 'Where it was first seen (for a farm animal, its farm)' },
  firstBizLocationName: text,
  lastBizLocation: text,
  lastBizLocationName: text,
  lastDisposition: text,
} as const

const erroneousEvents = {
  type: 'array',
  description: 'Events declared erroneous that the walk met and skipped (their corrective events, if captured, are used)',
  items: {
    type: 'object',
    additionalProperties: false,
    properties: {
      eventID: text,
      eventTime: time,
      declarationTime: time,
      reason: text,
      correctiveEventIDs: { type: 'array', items: text },
    },
  },
} as const

const truncation = {
  truncated: { type: 'boolean', description: 'True when maxDepth or the node limit cut the walk' },
  truncatedBy: { type: 'array', items: { type: 'string', enum: ['maxDepth', 'nodeLimit'] } },
} as const

export const lineageResponse = {
  description: 'The lineage graph of the identifier',
  type: 'object',
  additionalProperties: false,
  properties: {
    root: text,
    direction: text,
    maxDepth: { type: 'integer' },
    at: time,
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...identifierProperties,
          role: {
            type: 'string',
            enum: ['root', 'lineage', 'container', 'destination'],
            description:
              'lineage: an input, output, lot or content; container: something a lineage node travelled in (only its ' +
              'events while it held that node count); destination: a place or party something was shipped to',
          },
          depth: { type: 'integer' },
          lot: { type: 'string', description: 'The lot of a serialised instance, when an event states it' },
          ...whereaboutsProperties,
        },
      },
    },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: text,
          to: text,
          relation: {
            type: 'string',
            enum: ['transformed_into', 'aggregated_into', 'associated_with', 'shipped_to', 'member_of_lot'],
          },
          eventID: text,
          eventTime: time,
          type: {
            type: 'string',
            description: 'shipped_to: the destination type (CBV), e.g. https://ref.gs1.org/cbv/SDT-owning_party',
          },
          until: {
            type: 'string',
            format: 'date-time',
            description: 'aggregated_into / associated_with: when the child left (DELETE)',
          },
          untilEventID: text,
        },
      },
    },
    events: {
      type: 'array',
      items: text,
      description: 'eventIDs of the events the answer rests on, in event-time order',
    },
    erroneousEvents,
    ...truncation,
  },
} as const

const place = {
  type: 'object',
  additionalProperties: false,
  properties: { ...identifierProperties, items: { type: 'integer', description: 'How many affected items' } },
} as const

export const recallResponse = {
  description: 'The affected items, where they were last seen, and whom to notify',
  type: 'object',
  additionalProperties: false,
  properties: {
    root: text,
    at: time,
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: identifierProperties.id,
          kind: identifierProperties.kind,
          epcUrn: identifierProperties.epcUrn,
          productName: identifierProperties.productName,
          depth: { type: 'integer' },
          lot: text,
          lastSeen: time,
          lastEventID: text,
          lastBizStep: text,
          lastBizLocation: text,
          lastBizLocationName: text,
          lastDisposition: text,
          container: { type: 'string', description: 'The container it is in at the end (not taken out since)' },
          owningParty: text,
          possessingParty: text,
          shippedTo: {
            type: 'array',
            items: text,
            description: 'Owning/possessing parties it (or a container carrying it) was shipped to',
          },
        },
      },
    },
    locations: { type: 'array', items: place, description: 'Business locations where affected items were last seen' },
    parties: { type: 'array', items: place, description: 'Owning and possessing parties affected items were shipped to' },
    erroneousEvents,
    ...truncation,
  },
} as const

export const stateResponse = {
  description: 'The current state of the identifier',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...identifierProperties,
    at: time,
    firstSeen: time,
    lastEvent: {
      type: 'object',
      additionalProperties: false,
      properties: {
        eventID: text,
        eventTime: time,
        eventType: text,
        action: text,
        bizStep: text,
        disposition: text,
        bizLocation: text,
        readPoint: text,
        via: { type: 'string', description: 'The container whose event this is, when not the identifier’s own' },
      },
    },
    bizLocation: text,
    bizLocationName: text,
    readPoint: text,
    disposition: text,
    persistentDispositions: { type: 'array', items: text },
    container: text,
    containers: {
      type: 'array',
      description: 'The containers it is in, innermost first',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { id: text, relation: text, since: time, eventID: text },
      },
    },
    owningParty: text,
    owningPartyName: text,
    possessingParty: text,
    possessingPartyName: text,
    erroneousEvents,
  },
} as const
