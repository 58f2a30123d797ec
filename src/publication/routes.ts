import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import { ERRORS } from '../errors.js'
import { publicUrl } from '../http/public-url.js'
import { problemResponses } from '../http/shared-schemas.js'
import { signCursor, verifyCursor } from '../query/page-token.js'
import { REASON_CODES } from './reasons.js'
import { deleteRule, listRules, readSettings, writeSettings } from './repository.js'
import { decide, heldEventsPage, putRule, reviewScope, ruleView } from './service.js'

export interface PublicationRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

/** Reviewers decide; an organisation's own capture keys may read its held events. */
const READ_HELD = { auth: { roles: ['reviewer' as const, 'auditor' as const, 'authority' as const, 'capture' as const] }, workClass: 'query' as const }
const REVIEW = { auth: { roles: ['reviewer' as const] } }
/** The checks are the province's: its reviewers and authorities set them. */
const EDIT_CHECKS = { auth: { roles: ['reviewer' as const, 'authority' as const] } }
const READ_CHECKS = { auth: { roles: ['reviewer' as const, 'authority' as const, 'auditor' as const, 'capture' as const] } }

const reasonSchema = {
  type: 'object',
  properties: {
    code: { type: 'string', description: `One of ${REASON_CODES.join(', ')}` },
    vi: { type: 'string' },
    en: { type: 'string' },
    values: { type: 'array', items: { type: 'string' } },
  },
  required: ['code', 'vi', 'en'],
} as const

const heldEventSchema = {
  type: 'object',
  properties: {
    eventID: { type: 'string' },
    organization: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['held', 'rejected', 'published'] },
    heldAt: { type: 'string', format: 'date-time' },
    eventType: { type: 'string' },
    eventTime: { type: 'string', format: 'date-time' },
    bizStep: { type: ['string', 'null'] },
    reasons: { type: 'array', items: reasonSchema },
    decisions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          decision: { type: 'string' },
          comment: { type: ['string', 'null'] },
          decidedBy: { type: 'string' },
          decidedAt: { type: 'string', format: 'date-time' },
          ledgerEntry: { type: 'integer' },
        },
      },
    },
    event: { type: 'object', additionalProperties: true },
  },
  required: ['eventID', 'organization', 'state', 'heldAt', 'reasons', 'event'],
} as const

const ruleSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    bizStep: { type: ['string', 'null'] },
    eventType: { type: ['string', 'null'] },
    required: { type: 'array', items: { type: 'string' } },
    description: { type: ['string', 'null'] },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'bizStep', 'eventType', 'required'],
} as const

const settingsSchema = {
  type: 'object',
  properties: {
    maxEventAgeDays: { type: 'number', description: 'An event whose eventTime is older than this many days is held' },
    futureToleranceSeconds: { type: 'number', description: 'An event whose eventTime is later than now by more than this is held' },
  },
  required: ['maxEventAgeDays', 'futureToleranceSeconds'],
} as const

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } }, required: ['id'] } as const

/** Publication control: the review of held events and the checks that hold them. */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: PublicationRoutesOptions }> = async (app, options) => {
  app.get(
    '/review/events',
    {
      config: READ_HELD,
      schema: {
        summary: 'Held events with the reasons they are held, newest first',
        description:
          'Events waiting for a reviewer (state=held, the default) or rejected ones (state=rejected), with each failed check in ' +
          'Vietnamese and English. Filters: organization, reason (a reason code), from/to (when the event was held). A caller ' +
          "with only the capture role sees its own organisation's. The next page is in the Link rel=\"next\" header.",
        tags: ['Publication control'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            state: { type: 'string', enum: ['held', 'rejected'] },
            organization: { type: 'string', maxLength: 64 },
            reason: { type: 'string', enum: REASON_CODES },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            perPage: { type: 'integer', minimum: 1, maximum: options.maxPerPage },
            nextPageToken: { type: 'string', maxLength: 4096 },
          },
        },
        response: { 200: { type: 'array', items: heldEventSchema }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const q = request.query
      const perPage = q.perPage ?? options.defaultPerPage
      const organisationId = reviewScope(request.principal, q.organization)
      const filter = { states: [q.state ?? 'held'], organisationId, reason: q.reason, from: q.from, to: q.to }
      let after: number | undefined
      if (q.nextPageToken !== undefined) {
        const token = verifyCursor(app.pageTokenKey, q.nextPageToken, 'review') as { pk?: unknown; filter?: unknown }
        if (typeof token?.pk !== 'number' || JSON.stringify(token.filter) !== JSON.stringify(filter)) {
          throw ERRORS.queryParameter('nextPageToken is not valid for this list')
        }
        after = token.pk
      }
      const rows = await heldEventsPage(app.db, { ...filter, after }, perPage + 1)
      const page = rows.slice(0, perPage)
      if (rows.length > perPage) {
        const last = page.at(-1)!.row
        const token = signCursor(app.pageTokenKey, 'review', { pk: last.event_pk, filter })
        const query = new URLSearchParams({ ...(request.query as Record<string, string>), perPage: String(perPage), nextPageToken: token })
        reply.header('Link', `<${publicUrl(options.publicBaseUrl, `/review/events?${query}`)}>; rel="next"`)
      }
      return page.map((r) => r.view)
    },
  )

  app.post(
    '/review/decisions',
    {
      config: REVIEW,
      schema: {
        summary: 'Approve (publish) or reject held events',
        description:
          'Every decision is kept with who decided and when, and the decisions of one request are one entry of the ' +
          'tamper-evident ledger (GET /audit/ledger/verify checks them). A rejection needs a comment: the reason given to the ' +
          'organisation. A rejected event may be approved later. eventIDs are unique per organisation: organization picks one.',
        tags: ['Publication control'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['eventIDs', 'decision'],
          properties: {
            eventIDs: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 2048 } },
            decision: { type: 'string', enum: ['approve', 'reject'] },
            comment: { type: 'string', maxLength: 4000 },
            organization: { type: 'string', maxLength: 64 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              ledgerEntry: { type: 'integer' },
              decisions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    eventID: { type: 'string' },
                    organization: { type: ['string', 'null'] },
                    decision: { type: 'string' },
                    state: { type: 'string' },
                    decidedBy: { type: 'string' },
                    decidedAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
            required: ['ledgerEntry', 'decisions'],
          },
          ...problemResponses,
        },
      },
    },
    async (request) => decide(app.db, request.principal, request.body),
  )

  app.get(
    '/publication/rules',
    {
      config: READ_CHECKS,
      schema: {
        summary: 'The key data elements required per business step or event type',
        tags: ['Publication control'],
        response: { 200: { type: 'array', items: ruleSchema }, ...problemResponses },
      },
    },
    async () => (await listRules(app.db)).map(ruleView),
  )

  app.put(
    '/publication/rules/:id',
    {
      config: EDIT_CHECKS,
      schema: {
        summary: 'Create or replace a rule of required key data elements',
        description:
          'A rule applies to events with this bizStep (any CBV spelling), this eventType, or both. Each entry of required names ' +
          'top-level EPCIS fields, alternatives separated by | (e.g. "epcList|quantityList"): one of them must be present and not ' +
          'empty, else the event is held with the reason missing-kde. Applies to events captured from now on.',
        tags: ['Publication control'],
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['required'],
          properties: {
            bizStep: { type: 'string', minLength: 1, maxLength: 500 },
            eventType: { type: 'string', enum: ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] },
            required: {
              type: 'array',
              minItems: 1,
              maxItems: 50,
              items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*(\\|[A-Za-z][A-Za-z0-9]*)*$', maxLength: 500 },
            },
            description: { type: 'string', maxLength: 1000 },
          },
        },
        response: { 200: ruleSchema, 201: ruleSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { row, created } = await putRule(app.db, request.params.id, request.body)
      return reply.code(created ? 201 : 200).send(ruleView(row))
    },
  )

  app.delete(
    '/publication/rules/:id',
    {
      config: EDIT_CHECKS,
      schema: {
        summary: 'Remove a rule',
        tags: ['Publication control'],
        params: idParams,
        response: { 204: { description: 'Removed' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!(await deleteRule(app.db, request.params.id))) throw ERRORS.noSuchResource(`No rule '${request.params.id}'`)
      return reply.code(204).send()
    },
  )

  app.get(
    '/publication/settings',
    {
      config: READ_CHECKS,
      schema: { summary: 'The time bounds of the publication checks', tags: ['Publication control'], response: { 200: settingsSchema, ...problemResponses } },
    },
    async () => settingsView(await readSettings(app.db)),
  )

  app.patch(
    '/publication/settings',
    {
      config: EDIT_CHECKS,
      schema: {
        summary: 'Change the time bounds of the publication checks',
        tags: ['Publication control'],
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            maxEventAgeDays: { type: 'number', exclusiveMinimum: 0, maximum: 36500 },
            futureToleranceSeconds: { type: 'number', minimum: 0, maximum: 86400 },
          },
        },
        response: { 200: settingsSchema, ...problemResponses },
      },
    },
    async (request) => {
      await writeSettings(app.db, request.body)
      return settingsView(await readSettings(app.db))
    },
  )
}

function settingsView(row: Awaited<ReturnType<typeof readSettings>>) {
  return { maxEventAgeDays: row.max_event_age_days, futureToleranceSeconds: row.future_tolerance_seconds }
}

export default routes
