import type { FastifyRequest } from 'fastify'

/** An absolute URL when PUBLIC_BASE_URL is configured, else a path relative to the server root. */
export function publicUrl(baseUrl: string | undefined, path: string): string {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}${path}` : path
}

export function requestPath(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/'
}
