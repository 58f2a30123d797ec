import type { FastifyReply, FastifyRequest } from 'fastify'
import { chooseLanguage } from '../consumer-page/language.js'
import { negotiate } from '../http/negotiate.js'
import type { ReportLanguage } from './render/labels.js'
import { reportCsv } from './render/csv.js'
import { reportHtml } from './render/html.js'
import { reportTables, type AnyReport } from './render/tables.js'
import { reportXlsx } from './render/xlsx.js'

export const FORMATS = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html',
} as const
export type ReportFormat = keyof typeof FORMATS

const BY_TYPE = new Map(Object.entries(FORMATS).map(([format, type]) => [type as string, format as ReportFormat]))

/** ?format= when given, else the best of the four media types for Accept (JSON for any). */
export function chooseFormat(request: FastifyRequest, format: ReportFormat | undefined): ReportFormat {
  if (format !== undefined) return format
  return BY_TYPE.get(negotiate(request, Object.values(FORMATS)))!
}

export function reportLanguage(request: FastifyRequest, lang: string | undefined): ReportLanguage {
  return chooseLanguage(lang, request.headers['accept-language'])
}

/** The same URL with lang set to the other language (the page's switch link). */
function switchHref(request: FastifyRequest, language: ReportLanguage): string {
  const url = new URL(request.url, 'http://x')
  url.searchParams.set('lang', language === 'vi' ? 'en' : 'vi')
  return `${url.pathname}${url.search}`
}

/**
 * Sends a report in the chosen format. `json` is the report as given (a kept report's stored bytes) or as
 * serialised here; the others are rendered from the report in the chosen language.
 */
export async function sendReport(
  request: FastifyRequest,
  reply: FastifyReply,
  report: AnyReport,
  options: { format: ReportFormat; language: ReportLanguage; filename: string; json?: string },
): Promise<FastifyReply> {
  const { format, language, filename } = options
  reply.header('Vary', 'Accept, Accept-Language')
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(options.json ?? JSON.stringify(report))
  reply.header('Content-Language', language)
  if (format === 'html') return reply.type('text/html; charset=utf-8').send(reportHtml(report, language, switchHref(request, language)))
  const tables = reportTables(report, language)
  reply.header('Content-Disposition', `attachment; filename="${filename}.${format}"`)
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(tables))
  return reply.type(FORMATS.xlsx).send(await reportXlsx(tables))
}
