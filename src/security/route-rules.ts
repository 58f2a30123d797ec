import type { RouteAuth } from './plugin.js'

/** Reading events, resources, named queries' events, traceability and master data. */
export const READ_EVENTS: RouteAuth = { roles: ['query', 'auditor', 'authority'] }
