/** JSON Schemas of the ledger's answers (they also document them in the OpenAPI). */

const hex32 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const

export const entrySchema = {
  type: 'object',
  description: 'One ledger entry: the events one capture stored, as a Merkle root, chained to the entry before.',
  properties: {
    seq: { type: 'integer', minimum: 1 },
    time: { type: 'string', format: 'date-time', description: 'ISO 8601 UTC with milliseconds, exactly as hashed' },
    captureID: { type: ['string', 'null'], description: 'The capture job that stored the events; null for POST /events' },
    leafCount: { type: 'integer', minimum: 1 },
    merkleRoot: { ...hex32, description: 'RFC 9162 Merkle tree hash over the leaves, in event key order' },
    previousHash: { ...hex32, description: 'entryHash of entry seq - 1; 64 zeros for entry 1' },
    entryHash: { ...hex32, description: 'SHA-256 of the canonical serialisation of seq, time, leafCount, merkleRoot, previousHash' },
  },
  required: ['seq', 'time', 'captureID', 'leafCount', 'merkleRoot', 'previousHash', 'entryHash'],
  additionalProperties: false,
} as const

const headSchema = {
  type: 'object',
  properties: { seq: { type: 'integer' }, entryHash: hex32 },
  required: ['seq', 'entryHash'],
  additionalProperties: false,
} as const

export const verificationSchema = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    entries: { type: 'integer', description: 'Entries found intact before the first break (all of them when valid)' },
    events: { type: 'integer', description: 'Events covered by those entries' },
    head: { anyOf: [headSchema, { type: 'null' }], description: 'The last intact entry' },
    firstBroken: {
      anyOf: [
        {
          type: 'object',
          properties: {
            kind: {
              type: 'string',
              enum: [
                'sequence', 'previous-hash', 'entry-hash', 'leaf-count', 'merkle-root', 'leaf-order', 'event-missing',
                'event-hash', 'leaf-hash', 'event-outside-ledger', 'orphan-leaf',
              ],
            },
            detail: { type: 'string' },
            seq: { type: 'integer' },
            eventID: { type: 'string' },
            leafIndex: { type: 'integer' },
            expected: { type: 'string' },
            found: { type: 'string' },
          },
          required: ['kind', 'detail'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    },
  },
  required: ['valid', 'entries', 'events', 'head', 'firstBroken'],
  additionalProperties: false,
} as const

export const proofSchema = {
  type: 'object',
  description:
    'Inclusion proofs for the stored events with this eventID (usually one), each checkable offline with the algorithm ' +
    'in the README (npm run verify-proof). The current head is included so that a client can keep or publish it.',
  properties: {
    eventID: { type: 'string' },
    algorithm: { type: 'string', enum: ['nguon-ledger-v1'] },
    head: headSchema,
    proofs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          eventHash: { type: 'string', description: 'CBV 2.0 event hash ID of the stored event' },
          bodyDigest: { ...hex32, description: 'SHA-256 of the canonical JSON of the stored event body' },
          leafIndex: { type: 'integer', minimum: 0 },
          auditPath: { type: 'array', items: hex32, description: 'RFC 9162 inclusion path, leaf to root' },
          entry: entrySchema,
        },
        required: ['eventHash', 'bodyDigest', 'leafIndex', 'auditPath', 'entry'],
        additionalProperties: false,
      },
    },
  },
  required: ['eventID', 'algorithm', 'head', 'proofs'],
  additionalProperties: false,
} as const
