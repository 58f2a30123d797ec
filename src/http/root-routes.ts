import type { FastifyPluginAsync } from 'fastify'
import { registerDiscovery } from './discovery.js'

/** The top-level EPCIS resources this repository serves (GET /). */
export const TOP_LEVEL_RESOURCES = [
  'events',
  'eventTypes',
  'epcs',
  'bizSteps',
  'bizLocations',
  'readPoints',
  'dispositions',
  'capture',
  'queries',
] as const

const routes: FastifyPluginAsync = async (app) => {
  registerDiscovery(app, '/', ['GET'])
  // Public: it names the resources, not their content (EPCIS 2.0 discovery).
  app.get(
    '/',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'The top-level resources of this EPCIS repository',
        tags: ['Discovery'],
        response: { 200: { type: 'array', items: { type: 'string' } } },
      },
    },
    async () => TOP_LEVEL_RESOURCES,
  )
}

export default routes
