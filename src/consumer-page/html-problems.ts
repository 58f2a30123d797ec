import accepts from 'accepts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { chooseLanguage, otherLanguage } from './language.js'
import { renderProblem } from './render.js'

/** The same policy as the page itself: no script, only inline style. */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const PROBLEM_OR_HTML = ['application/problem+json', 'application/json', 'text/html']

function prefersHtml(request: FastifyRequest): boolean {
  return accepts(request.raw).type(PROBLEM_OR_HTML) === 'text/html'
}

function langOf(url: string): string | undefined {
  const query = url.split('?', 2)[1]
  return query === undefined ? undefined : (new URLSearchParams(query).get('lang') ?? undefined)
}

function switchHref(url: string, language: string): string {
  const [path, query = ''] = url.split('?', 2) as [string, string?]
  const params = new URLSearchParams(query)
  params.set('lang', language)
  return `${path}?${params}`
}

/**
 * A phone's browser (Accept preferring text/html) that scans a bad code gets a friendly page in
 * Vietnamese or English instead of a JSON problem, with the same 4xx status. For the routes of the
 * plugin that calls it (the resolver, the consumer page).
 */
export function answerProblemsAsHtml(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!prefersHtml(request)) return
    reply.problemRenderer = (problem) => {
      if (problem.status >= 500) return undefined
      const language = chooseLanguage(langOf(request.url), request.headers['accept-language'])
      const other = otherLanguage(language)
      reply.headers({ 'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY, 'Content-Language': language, Vary: 'Accept, Accept-Language' })
      return {
        contentType: 'text/html; charset=utf-8',
        body: renderProblem(language, { href: switchHref(request.url, other), language: other }, problem.status, problem.detail),
      }
    }
  })
}
