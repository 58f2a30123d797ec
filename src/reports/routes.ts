import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { RouteAuth } from '../security/plugin.js'
import { problemResponses } from '../http/shared-schemas.js'
import { activityReport } from './activity.js'
import { categoryFields, categoryMatchers, categoryView } from './categories.js'
import { listCategories, putCategory } from './category-repository.js'
import { chainReport } from './chain.js'
import { chooseFormat, reportLanguage, sendReport, type ReportFormat } from './format.js'
import { listReports } from './kept-repository.js'
import { keepReport, keptReport, keptReportView, reportProof, type ReportSettings } from './kept.js'
import { recallSheet } from './recall-sheet.js'
import {
  categoryBody,
  categoryParams,
  categorySchema,
  keepBody,
  keptFormatQuery,
  keptReportSchema,
  proofSchema,
  recallSheetQuery,
  reportContent,
  scopeQuery,
} from './schemas.js'
import { reportScope } from './scope.js'
import type { AnyReport } from './render/tables.js'

export type ReportRoutesOptions = ReportSettings

/** The provinces, the ministries' portal and auditors (admin holds every role). */
const REPORTS: RouteAuth = { roles: ['authority', 'auditor'] }
const EDIT_CATEGORIES: RouteAuth = { roles: ['authority'] }
const tags = ['Reports']

const fileDate = (iso: string) => iso.slice(0, 10)

/** Reports for the authorities (issue 18): activity, chain, recall spreadsheet, kept periodic reports, the priority list. */
const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ReportRoutesOptions }> = async (app, options) => {
  const deps = { db: app.db, pool: app.pool }
  const settings: ReportSettings = { originDepth: options.originDepth, timeZone: options.timeZone }

  app.get(
    '/reports/activity',
    {
      config: { auth: REPORTS, workClass: 'query' },
      schema: {
        summary: 'Activity report for a period: who captured, products and lots traced, events, held events, recalls',
        description:
          'By organisation and product category: the organisations that captured events whose eventTime is in [from, to), ' +
          'the GTINs and lots their events name, events by type and business step, held and rejected events with reasons, ' +
          'and the events with the recalled disposition with the items they reached downstream.',
        tags,
        querystring: scopeQuery,
        produces: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/html'],
        response: { 200: reportContent('The activity report'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const format = chooseFormat(request, request.query.format as ReportFormat | undefined)
      const scope = reportScope(request.query)
      const report = await activityReport(deps, scope, await categoryMatchers(app.db))
      const filename = `activity-${fileDate(report.scope.from)}-${fileDate(report.scope.to)}`
      return sendReport(request, reply, report, { format, language: reportLanguage(request, request.query.lang), filename })
    },
  )

  app.get(
    '/reports/chain',
    {
      config: { auth: REPORTS, workClass: 'query' },
      schema: {
        summary: 'Chain report: one step before, one step after, checked between organisations',
        description:
          'Receipts whose source recorded no shipment of their items (missing-shipping), shipments whose destination never ' +
          'recorded a receipt (missing-receiving), retail items whose upstream trace reaches no commissioning within the ' +
          'configured depth (no-origin). Each gap names the organisation whose step is missing and the items affected; ' +
          'completeness is complete / total checks per organisation (category null: all its checks) and per category.',
        tags,
        querystring: scopeQuery,
        produces: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/html'],
        response: { 200: reportContent('The chain report'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const format = chooseFormat(request, request.query.format as ReportFormat | undefined)
      const scope = reportScope(request.query)
      const report = await chainReport(app.db, scope, await categoryMatchers(app.db), settings.originDepth)
      const filename = `chain-${fileDate(report.scope.from)}-${fileDate(report.scope.to)}`
      return sendReport(request, reply, report, { format, language: reportLanguage(request, request.query.lang), filename })
    },
  )

  app.get(
    '/reports/recall',
    {
      config: { auth: REPORTS, workClass: 'query' },
      schema: {
        summary: 'Recall spreadsheet for a lot or an item',
        description:
          'Every affected item downstream of the lot or item, one row per step it went through, with the key data elements ' +
          'of each: traceability lot code, product, quantity and unit, location and time, source and destination, and ' +
          'reference documents (business transactions). One table: sortable as CSV or XLSX.',
        tags,
        querystring: recallSheetQuery,
        produces: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/html'],
        response: { 200: reportContent('The recall spreadsheet'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const format = chooseFormat(request, request.query.format as ReportFormat | undefined)
      const sheet = await recallSheet(deps, request.query.epc)
      return sendReport(request, reply, sheet, { format, language: reportLanguage(request, request.query.lang), filename: 'recall' })
    },
  )

  app.get(
    '/reports',
    {
      config: { auth: REPORTS },
      schema: {
        summary: 'Kept reports (periodic and ad hoc), newest first',
        tags,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            perPage: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            before: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'Only reports with a smaller id (the next page)' },
          },
        },
        response: { 200: { type: 'object', additionalProperties: false, properties: { reports: { type: 'array', items: keptReportSchema } }, required: ['reports'] }, ...problemResponses },
      },
    },
    async (request) => {
      const rows = await listReports(app.db, request.query.perPage, request.query.before === undefined ? undefined : Number(request.query.before))
      return { reports: rows.map(keptReportView) }
    },
  )

  app.post(
    '/reports',
    {
      config: { auth: REPORTS, workClass: 'query' },
      schema: {
        summary: 'Generate and keep an ad hoc report (its content hash recorded in the ledger)',
        tags,
        body: keepBody,
        response: { 201: keptReportSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { kind, ...query } = request.body
      const row = await keepReport(deps, kind, reportScope(query), 'request', settings)
      return reply.code(201).header('Location', `/reports/${row!.id}`).send(keptReportView(row!))
    },
  )

  app.get(
    '/reports/:id',
    {
      config: { auth: REPORTS },
      schema: {
        summary: 'Download a kept report',
        description: 'JSON is the kept content byte for byte (its SHA-256 is the contentHash the ledger records); CSV, XLSX and HTML are rendered from it.',
        tags,
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 32 } } },
        querystring: keptFormatQuery,
        produces: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/html'],
        response: { 200: reportContent('The kept report'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const format = chooseFormat(request, request.query.format as ReportFormat | undefined)
      const row = await keptReport(deps, request.params.id)
      const report = JSON.parse(row.content) as AnyReport
      reply.header('X-Content-SHA256', row.content_hash.toString('hex'))
      const filename = `${row.kind}-${row.id}`
      return sendReport(request, reply, report, { format, language: reportLanguage(request, request.query.lang), filename, json: row.content })
    },
  )

  app.get(
    '/reports/:id/proof',
    {
      config: { auth: REPORTS },
      schema: {
        summary: 'Show that a kept report is unchanged: its content hash against the ledger',
        tags,
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 32 } } },
        response: { 200: proofSchema, ...problemResponses },
      },
    },
    async (request) => reportProof(deps, request.params.id),
  )

  app.get(
    '/admin/product-categories',
    {
      config: { auth: REPORTS },
      schema: {
        summary: 'The priority product list: categories defined by GTINs, GS1 Company Prefixes or GPC bricks',
        tags,
        response: { 200: { type: 'object', additionalProperties: false, properties: { categories: { type: 'array', items: categorySchema } }, required: ['categories'] }, ...problemResponses },
      },
    },
    async () => ({ categories: (await listCategories(app.db)).map(categoryView) }),
  )

  app.put(
    '/admin/product-categories/:id',
    {
      config: { auth: EDIT_CATEGORIES },
      schema: {
        summary: 'Create or replace a category of the priority product list',
        tags,
        params: categoryParams,
        body: categoryBody,
        response: { 200: categorySchema, 201: categorySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await putCategory(app.db, request.params.id, categoryFields(request.body))
      const row = (await listCategories(app.db)).find((c) => c.id === request.params.id)!
      return reply.code(created ? 201 : 200).send(categoryView(row))
    },
  )
}

export default routes
