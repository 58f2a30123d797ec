import type { FastifyInstance } from 'fastify'
import { discoveryHeaders } from '../plugins/epcis-headers.js'

/** OPTIONS on an EPCIS path: 204 with Allow and the GS1 discovery headers. */
export function registerDiscovery(
  app: FastifyInstance,
  url: string,
  allow: string[],
  extraHeaders: () => Record<string, string> = () => ({}),
): void {
  app.options(
    url,
    {
      config: { auth: 'public' },
      schema: {
        summary: `Discover the methods and EPCIS settings of ${url}`,
        tags: ['Discovery'],
        response: { 204: { description: 'Allow and GS1 discovery headers' } },
      },
    },
    async (_request, reply) => {
      reply.headers({ Allow: ['OPTIONS', ...allow].join(', '), ...discoveryHeaders, ...extraHeaders() })
      return reply.code(204).send()
    },
  )
}
