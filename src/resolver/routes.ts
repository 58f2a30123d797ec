import type { FastifyPluginAsync } from 'fastify'
import linkRoutes from './link-routes.js'
import qrRoutes from './qr-routes.js'
import resolveRoutes from './resolve-routes.js'

export interface ResolverRoutesOptions {
  publicBaseUrl: string | undefined
  defaultPerPage: number
  maxPerPage: number
}

/** The GS1 resolver (/{primary key AI}/..., /.well-known/gs1resolver), link administration (/links) and QR codes (/qr). */
const routes: FastifyPluginAsync<ResolverRoutesOptions> = async (app, options) => {
  await app.register(resolveRoutes, { publicBaseUrl: options.publicBaseUrl })
  await app.register(linkRoutes, options)
  await app.register(qrRoutes, { publicBaseUrl: options.publicBaseUrl })
}

export default routes
