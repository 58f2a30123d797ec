import type { FastifyRequest } from 'fastify'

/** Where this resolver answers: PUBLIC_BASE_URL when configured, else the request's own origin. */
export function resolverOrigin(request: FastifyRequest, publicBaseUrl: string | undefined): string {
  return publicBaseUrl ? publicBaseUrl.replace(/\/+$/, '') : `${request.protocol}://${request.host}`
}
