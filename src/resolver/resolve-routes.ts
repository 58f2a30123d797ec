import accepts from 'accepts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { answerProblemsAsHtml } from '../consumer-page/html-problems.js'
import { ERRORS } from '../errors.js'
import { decompressDigitalLinkPath, describeAi, IdentifierError } from '../identifiers/index.js'
import { problemResponses } from '../http/shared-schemas.js'
import { resolverDescription } from './description-file.js'
import { choicesPage } from './html.js'
import { keyLevels, keyPath, parseKeyPath, type KeyLevel } from './key-levels.js'
import type { ResolverLink } from './link-choice.js'
import { linkTypeName } from './link-type.js'
import { buildLinkset, choicesLinkset, LINKSET_MEDIA_TYPE, linksetLinkHeader } from './linkset.js'
import { resolverOrigin } from './origin.js'
import { parseWeightedList, preferencesOf } from './preferences.js'
import { PRIMARY_KEY_AIS } from './primary-keys.js'
import { chooseFor, hasAnyLink, resolveLevels } from './resolution.js'
import { linksetSchema, resolverQuery } from './schemas.js'

export interface ResolveRoutesOptions {
  publicBaseUrl: string | undefined
}

const ALLOWED_METHODS = 'GET, HEAD, OPTIONS'

function queryOf(url: string): string {
  const at = url.indexOf('?')
  return at < 0 ? '' : url.slice(at + 1)
}

/** The target with the request's query string appended (before any fragment). */
export function withQuery(href: string, query: string): string {
  if (query === '') return href
  const hash = href.indexOf('#')
  const base = hash < 0 ? href : href.slice(0, hash)
  const fragment = hash < 0 ? '' : href.slice(hash)
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`
}

/**
 * The target of a link found at `found`, a coarser level than the request's: a link to one of the
 * service's own pages of a key (keyPath) gets the request's remaining key qualifiers, so that
 * /01/g/10/LOT7 walking up to the page of /01/g lands on the page of /01/g/10/LOT7. Other links are
 * their owner's: their target stays as registered (the query string is passed on as usual).
 */
function keepQualifiers(link: ResolverLink, levels: readonly KeyLevel[], found: KeyLevel): string {
  const requested = levels[0]!
  if (!link.keyPath || found.elements.length >= requested.elements.length) return link.href
  const rest = keyPath(requested.elements.slice(found.elements.length))
  const hash = link.href.search(/[?#]/)
  return hash < 0 ? `${link.href}${rest}` : `${link.href.slice(0, hash)}${rest}${link.href.slice(hash)}`
}

/**
 * The Digital Link a request names: its own URL, or for a compressed one (GS1 Digital Link:
 * Compression; /<compressed> or /<key AI>/<value>/<compressed>) the uncompressed path and query.
 */
function requestedKey(url: string): { url: string; compressed: boolean } {
  try {
    parseKeyPath(url)
    return { url, compressed: false }
  } catch (error) {
    let expanded: string | undefined
    try {
      expanded = decompressDigitalLinkPath(url)
    } catch (decompression) {
      if (decompression instanceof IdentifierError) throw ERRORS.validation(decompression.message)
      throw decompression
    }
    if (expanded === undefined) throw error
    return { url: expanded, compressed: true }
  }
}

/** Sent as bytes so that the media type goes out exactly as given (RFC 9264 defines no charset parameter). */
function sendJson(reply: FastifyReply, mediaType: string, body: unknown): FastifyReply {
  return reply.type(mediaType).send(Buffer.from(JSON.stringify(body)))
}

function acceptList(request: FastifyRequest) {
  return parseWeightedList(request.headers.accept).filter((m) => m.q > 0)
}

function asksForLinkset(request: FastifyRequest): boolean {
  return acceptList(request).some((m) => m.value === LINKSET_MEDIA_TYPE)
}

/** application/linkset+json unless the client names application/json and not the linkset type. */
function linksetMediaType(request: FastifyRequest): string {
  const accepted = acceptList(request)
  return !accepted.some((m) => m.value === LINKSET_MEDIA_TYPE) && accepted.some((m) => m.value === 'application/json')
    ? 'application/json'
    : LINKSET_MEDIA_TYPE
}

/**
 * The GS1-Conformant resolver: GET/HEAD/OPTIONS on /{primary key AI}/{value}[/{qualifier AI}/{value}...]
 * for every primary key of the GS1 Barcode Syntax Dictionary (one wildcard route per key AI, so
 * the other routes of the service are untouched), and /.well-known/gs1resolver. CORS is open on
 * all of them (an onSend hook of this plugin only).
 */
export default async function resolveRoutes(app: FastifyInstance, options: ResolveRoutesOptions): Promise<void> {
  answerProblemsAsHtml(app)
  // Requests the compressed-link route hands to the service's 404: not the resolver's, so no CORS.
  const notResolver = new WeakSet<FastifyRequest>()
  app.addHook('onSend', async (request, reply, payload) => {
    if (notResolver.has(request)) return payload
    reply.header('Access-Control-Allow-Origin', '*')
    reply.header('Access-Control-Allow-Methods', ALLOWED_METHODS)
    reply.header('Access-Control-Allow-Headers', 'Accept, Accept-Language, Content-Type')
    reply.header('Access-Control-Expose-Headers', 'Link, Location, Content-Type, Vary')
    return payload
  })

  const preflight = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.code(204).header('Allow', ALLOWED_METHODS).header('Access-Control-Max-Age', '86400').send()

  async function resolve(request: FastifyRequest, reply: FastifyReply) {
    const { url, compressed } = requestedKey(request.url)
    const parsed = parseKeyPath(url)
    const origin = resolverOrigin(request, options.publicBaseUrl)
    const levels = keyLevels(parsed)
    const path = levels[0]!.path
    // A compressed request is answered as its uncompressed form, which the Link header names (owl:sameAs).
    const sameAs = compressed ? `, <${origin}${url}>; rel="owl:sameAs"` : ''
    reply.header('Link', `${linksetLinkHeader(origin, path)}${sameAs}`)
    reply.header('Vary', 'Accept, Accept-Language')

    const resolved = await resolveLevels(app.db, levels, origin)
    if (!hasAnyLink(resolved)) throw ERRORS.noSuchResource(`No links are known for ${path} or the levels above it`)

    const requested = parsed.otherParameters.find((p) => p.key === 'linkType')?.value
    if (requested === 'linkset' || requested === 'all' || (requested === undefined && asksForLinkset(request))) {
      return sendJson(reply, linksetMediaType(request), buildLinkset(origin, resolved))
    }
    let linkType: string | undefined
    if (requested !== undefined) {
      const name = linkTypeName(requested)
      if (name === undefined) throw ERRORS.noSuchResource(`No link of type "${requested}" for ${path}`)
      linkType = name === 'defaultLink' || name === 'defaultLinkMulti' ? undefined : name
    }
    const preferences = preferencesOf(parsed.otherParameters, {
      acceptLanguage: request.headers['accept-language'],
      accept: request.headers.accept,
    })
    const choice = chooseFor(resolved, linkType, preferences)
    if (!choice) throw ERRORS.noSuchResource(`No link of type "${requested}" for ${path}`)
    if (choice.kind === 'link') {
      const query = choice.link.fwqs === false ? '' : queryOf(url)
      return reply.redirect(withQuery(keepQualifiers(choice.link, levels, resolved[choice.levelIndex]!.level), query), 307)
    }

    const level = resolved[choice.levelIndex]!
    reply.code(300)
    if (accepts(request.raw).type([LINKSET_MEDIA_TYPE, 'application/json', 'text/html']) === 'text/html') {
      return reply.type('text/html; charset=utf-8').send(choicesPage(level.itemDescription, choice.links))
    }
    return sendJson(reply, LINKSET_MEDIA_TYPE, choicesLinkset(origin, level, choice.links))
  }

  for (const ai of PRIMARY_KEY_AIS) {
    app.get(
      `/${ai}/*`,
      {
        schema: {
          summary: `Resolve a GS1 Digital Link whose primary key is ${describeAi(ai)}`,
          description:
            `/${ai}/{value} with its key qualifiers in the order the GS1 Syntax Dictionary allows, GS1 data attributes in ` +
            'the query string. Redirects (307, carrying the query string) to the link chosen by linkType, then ' +
            'Accept-Language (or lang), context and media type; by default to the consumer traceability page unless the ' +
            'brand owner registered another default. linkType=linkset or Accept: application/linkset+json answers the ' +
            'RFC 9264 linkset. Links registered only for a less granular level apply (walk up). 300 when several links ' +
            'are equally good, 404 when nothing is known or no link has the requested type, 400 with a problem for a ' +
            'malformed Digital Link (a friendly HTML page with the same status when Accept prefers text/html). Every answer has a Link header to the linkset (rel="linkset").',
          tags: ['Resolver'],
          params: {
            type: 'object',
            properties: {
              '*': { type: 'string', description: 'The key value, then any key qualifiers: {value}[/{qualifier AI}/{value}...]' },
            },
          },
          response: {
            200: { description: 'The linkset', content: { [LINKSET_MEDIA_TYPE]: { schema: linksetSchema } } },
            300: { description: 'Several links are equally good', content: { [LINKSET_MEDIA_TYPE]: { schema: linksetSchema } } },
            307: { description: 'Redirect to the chosen link (Location), with the request\'s query string' },
            400: problemResponses[400],
            404: problemResponses[404],
          },
        },
        config: { auth: 'public', documentedQuery: resolverQuery },
      },
      resolve,
    )
    app.get(`/${ai}`, { config: { auth: 'public' }, schema: { hide: true } }, resolve)
    app.options(`/${ai}/*`, { config: { auth: 'public' }, schema: { hide: true } }, preflight)
    app.options(`/${ai}`, { config: { auth: 'public' }, schema: { hide: true } }, preflight)
  }

  // A fully compressed Digital Link: one path segment. Other routes win (find-my-way prefers static
  // paths), and a segment that does not decompress goes to the service's 404, as without this route.
  const compressedRoute = (answer: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) => async (request: FastifyRequest, reply: FastifyReply) => {
    let expanded: string | undefined
    try {
      expanded = decompressDigitalLinkPath(request.url)
    } catch (error) {
      if (error instanceof IdentifierError) throw ERRORS.validation(error.message)
      throw error
    }
    if (expanded === undefined) {
      notResolver.add(request)
      return reply.callNotFound()
    }
    return answer(request, reply)
  }
  app.get('/:compressed', { config: { auth: 'public' }, schema: { hide: true } }, compressedRoute(resolve))
  app.options('/:compressed', { config: { auth: 'public' }, schema: { hide: true } }, compressedRoute(preflight))

  app.get(
    '/.well-known/gs1resolver',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'The GS1 resolver description file',
        description: 'Describes this GS1-Conformant resolver: its root, the primary keys and link types it supports.',
        tags: ['Resolver'],
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (request) => resolverDescription(resolverOrigin(request, options.publicBaseUrl)),
  )
  app.options('/.well-known/gs1resolver', { config: { auth: 'public' }, schema: { hide: true } }, preflight)
}
