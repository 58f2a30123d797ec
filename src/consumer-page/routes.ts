import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { FastifyReply } from 'fastify'
import { problemResponses } from '../http/shared-schemas.js'
import { parseKeyPath } from '../resolver/key-levels.js'
import { answerProblemsAsHtml, PAGE_CONTENT_SECURITY_POLICY } from './html-problems.js'
import { chooseLanguage, otherLanguage } from './language.js'
import { renderPage, renderUnknown, type LanguageSwitch } from './render.js'
import type { PageLanguage } from './translations.js'
import { consumerPageModel } from './view-model.js'

const PREFIX = '/traceability/page'

const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } }) as const

/** Stricter than the service-wide policy: no script at all, nothing loaded from elsewhere but the product image. */
const CONTENT_SECURITY_POLICY = PAGE_CONTENT_SECURITY_POLICY

function languageSwitch(url: string, language: PageLanguage): LanguageSwitch {
  const [path, query = ''] = url.split('?', 2) as [string, string?]
  const other = otherLanguage(language)
  const params = new URLSearchParams(query)
  params.set('lang', other)
  return { href: `${path}?${params}`, language: other }
}

function sendHtml(reply: FastifyReply, status: number, language: PageLanguage, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .headers({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Content-Language': language, Vary: 'Accept-Language', 'Cache-Control': 'no-cache' })
    .send(body)
}

/**
 * The consumer traceability page, where a shopper lands after scanning the Digital Link on a pack (the
 * resolver's default gs1:traceability link). Public: it reads every event, but shows only the product,
 * its journey, certificates, cold chain and warnings; commercial fields only when the owner allows them.
 */
const routes: FastifyPluginAsyncJsonSchemaToTs = async (app) => {
  const deps = { db: app.db, pool: app.pool }
  answerProblemsAsHtml(app)

  app.get(
    `${PREFIX}/*`,
    {
      schema: {
        summary: 'The consumer traceability page of a GS1 key (HTML)',
        description:
          '/traceability/page/{ai}/{value}[/{qualifier ai}/{value}...] with the same path grammar as the resolver. ' +
          'Server-side HTML for phones, without JavaScript: product name and image (master data), lot, serial, expiry ' +
          '(ILMD), the journey from the lineage walk (places in the page language, business steps, dates), ' +
          'certifications (certificationInfo), a cold-chain summary (temperature sensor reports) and a warning when the ' +
          'product was recalled or records of it were declared erroneous. Vietnamese by default; English with lang=en or ' +
          'an Accept-Language preferring English. No commercial data (business transactions, sources, destinations) ' +
          'unless the owner allows it in master data (allowCommercialFields). 404 with a friendly page when nothing is ' +
          'known of the key, 400 with a problem for a malformed key (a friendly HTML page, still 400, when Accept prefers text/html).',
        tags: ['Traceability'],
        params: {
          type: 'object',
          properties: {
            '*': { type: 'string', description: 'The key: {ai}/{value}[/{qualifier ai}/{value}...], e.g. 01/09506000134352/10/LOT1' },
          },
        },
        querystring: {
          type: 'object',
          properties: {
            lang: { type: 'string', maxLength: 100, description: 'vi or en (a list such as en-GB,vi: the first of those)' },
          },
        },
        response: {
          200: html('The page'),
          400: problemResponses[400],
          404: html('Nothing is known of the key: a page that says so'),
        },
      },
      config: { auth: 'public' },
    },
    async (request, reply) => {
      const parsed = parseKeyPath(request.url.slice(PREFIX.length))
      const language = chooseLanguage(request.query.lang, request.headers['accept-language'])
      const languageLink = languageSwitch(request.url, language)
      const model = await consumerPageModel(deps, parsed, language)
      if (!model) return sendHtml(reply, 404, language, renderUnknown(language, languageLink))
      return sendHtml(reply, 200, language, renderPage(model, languageLink))
    },
  )
}

export default routes
