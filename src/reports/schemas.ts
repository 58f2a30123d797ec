import { FORMATS } from './format.js'

const time = (what: string) => ({ type: 'string', minLength: 1, maxLength: 64, description: `${what} (ISO 8601 date-time)` }) as const

export const formatParameters = {
  format: { type: 'string', enum: Object.keys(FORMATS), description: 'Overrides Accept: json, csv, xlsx or html' },
  lang: { type: 'string', maxLength: 100, description: 'vi (default) or en; else Accept-Language. For CSV, XLSX and HTML' },
} as const

export const scopeQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: time('Start of the period, included'),
    to: time('End of the period, excluded'),
    organization: { type: 'string', minLength: 1, maxLength: 64, description: 'Only this organisation (activity: recorded by it, a forwarded event by its origin organisation: its id here, else its GLN / PGLN Digital Link; chain: its steps)' },
    category: { type: 'string', minLength: 1, maxLength: 64, description: 'Only this product category of the priority list' },
    ...formatParameters,
  },
} as const

export const recallSheetQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['epc'],
  properties: {
    epc: { type: 'string', minLength: 1, maxLength: 2048, description: 'The lot or item recalled: EPC URN or GS1 Digital Link' },
    ...formatParameters,
  },
} as const

export const keptFormatQuery = { type: 'object', additionalProperties: false, properties: formatParameters } as const

export const reportContent = (description: string) => ({
  description,
  content: {
    'application/json': { schema: { type: 'object', additionalProperties: true } },
    'text/csv': { schema: { type: 'string', description: 'Each table: a title row, a header row and its rows (UTF-8 with BOM)' } },
    [FORMATS.xlsx]: { schema: { type: 'string', format: 'binary', description: 'One sheet per table' } },
    'text/html': { schema: { type: 'string', description: 'A printable page with SVG charts, no script' } },
  },
})

export const keptReportSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['activity', 'chain'] },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    organization: { type: 'string' },
    category: { type: 'string' },
    trigger: { type: 'string', enum: ['schedule', 'request'] },
    contentHash: { type: 'string', description: 'SHA-256 (hex) of the JSON download, byte for byte' },
    ledgerSeq: { type: 'integer', description: 'The ledger entry that records the content hash' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'kind', 'from', 'to', 'trigger', 'contentHash', 'ledgerSeq', 'createdAt'],
} as const

export const keepBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'from', 'to'],
  properties: {
    kind: { type: 'string', enum: ['activity', 'chain'] },
    from: time('Start of the period, included'),
    to: time('End of the period, excluded'),
    organization: { type: 'string', minLength: 1, maxLength: 64 },
    category: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const

export const proofSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    contentHash: { type: 'string' },
    recordedHash: { type: ['string', 'null'] },
    ledgerSeq: { type: 'integer' },
    leafHash: { type: ['string', 'null'] },
    merkleRoot: { type: ['string', 'null'] },
    entryHash: { type: ['string', 'null'] },
    unchanged: { type: 'boolean' },
  },
  required: ['id', 'contentHash', 'recordedHash', 'ledgerSeq', 'unchanged'],
} as const

export const categorySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'object', additionalProperties: false, properties: { vi: { type: 'string' }, en: { type: 'string' } }, required: ['vi', 'en'] },
    gtins: { type: 'array', items: { type: 'string' } },
    companyPrefixes: { type: 'array', items: { type: 'string' } },
    gpcBricks: { type: 'array', items: { type: 'string' } },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'gtins', 'companyPrefixes', 'gpcBricks', 'updatedAt'],
} as const

export const categoryBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'object',
      additionalProperties: false,
      required: ['vi', 'en'],
      properties: { vi: { type: 'string', minLength: 1, maxLength: 200 }, en: { type: 'string', minLength: 1, maxLength: 200 } },
    },
    gtins: { type: 'array', maxItems: 10000, items: { type: 'string', pattern: '^[0-9]{8,14}$' }, description: 'GTIN-8, -12, -13 or -14' },
    companyPrefixes: { type: 'array', maxItems: 10000, items: { type: 'string', pattern: '^[0-9]{4,12}$' }, description: 'GS1 Company Prefixes' },
    gpcBricks: { type: 'array', maxItems: 10000, items: { type: 'string', pattern: '^[0-9]{8}$' }, description: 'GPC brick codes, matched against gpcCategoryCode in product master data' },
  },
} as const

export const categoryParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } },
} as const
