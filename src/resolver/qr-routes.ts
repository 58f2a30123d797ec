import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import QRCode from 'qrcode'
import { ERRORS } from '../errors.js'
import { CANONICAL_DL_ORIGIN, IdentifierError, parseDigitalLink } from '../identifiers/index.js'
import { problemResponses } from '../http/shared-schemas.js'
import { resolverOrigin } from './origin.js'

export interface QrRoutesOptions {
  publicBaseUrl: string | undefined
}

const HOST_OF = (origin: string) => new URL(origin).host.toLowerCase()

/**
 * Checks that `data` is a valid GS1 Digital Link on this resolver (its origin and base path) or on
 * id.gs1.org; the QR code then carries `data` exactly as given.
 */
export function checkQrData(data: string, resolverBase: string): void {
  let parsed
  try {
    parsed = parseDigitalLink(data, { lenient: true })
  } catch (error) {
    if (error instanceof IdentifierError) throw ERRORS.queryParameter(`data: ${error.message}`)
    throw error
  }
  if (!parsed || parsed.origin === '') throw ERRORS.queryParameter('data must be an absolute GS1 Digital Link URI')
  const base = new URL(resolverBase)
  const ownHost = HOST_OF(base.origin)
  const basePath = base.pathname.replace(/\/+$/, '')
  const host = HOST_OF(parsed.origin)
  const onThisResolver = host === ownHost && parsed.pathPrefix === basePath
  const onGs1 = host === HOST_OF(CANONICAL_DL_ORIGIN) && parsed.pathPrefix === ''
  if (!onThisResolver && !onGs1) {
    throw ERRORS.queryParameter(`data must be a GS1 Digital Link of this resolver (${ownHost}${basePath}) or of id.gs1.org`)
  }
}

const routes: FastifyPluginAsyncJsonSchemaToTs<{ Options: QrRoutesOptions }> = async (app, options) => {
  app.get(
    '/qr',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Draw the QR code of a GS1 Digital Link',
        description:
          'Draws a QR code holding `data` exactly as given, as SVG or PNG. Only GS1 Digital Links of this resolver or ' +
          'of id.gs1.org are drawn, e.g. data=https://id.gs1.org/01/09506000134352/10/LOT1.',
        tags: ['Resolver'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['data'],
          properties: {
            data: { type: 'string', minLength: 1, maxLength: 2048, description: 'The GS1 Digital Link URI to encode' },
            format: { type: 'string', enum: ['svg', 'png'], default: 'svg' },
            size: { type: 'integer', minimum: 64, maximum: 4096, default: 300, description: 'Width and height in pixels' },
            errorCorrectionLevel: {
              type: 'string',
              enum: ['L', 'M', 'Q', 'H'],
              default: 'M',
              description: 'QR error correction level: L 7%, M 15%, Q 25%, H 30% of the code may be damaged',
            },
            margin: { type: 'integer', minimum: 0, maximum: 16, default: 4, description: 'Quiet zone, in modules' },
          },
        },
        response: {
          200: {
            description: 'The QR code',
            content: { 'image/svg+xml': { schema: { type: 'string' } }, 'image/png': { schema: { description: 'PNG image (binary)' } } },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { data, format, size, errorCorrectionLevel, margin } = request.query
      checkQrData(data, resolverOrigin(request, options.publicBaseUrl))
      const drawing = { width: size, margin, errorCorrectionLevel }
      reply.header('Cache-Control', 'public, max-age=86400')
      if (format === 'png') return reply.type('image/png').send(await QRCode.toBuffer(data, { ...drawing, type: 'png' }))
      return reply.type('image/svg+xml').send(await QRCode.toString(data, { ...drawing, type: 'svg' }))
    },
  )
}

export default routes
