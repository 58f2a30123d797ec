import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'

/**
 * Security headers (helmet) on every answer. The content security policy is for the HTML this service
 * serves (the consumer page, the resolver's choice page, /docs): no inline scripts, inline styles
 * allowed, product images from any https host. Resources stay readable cross-origin: the resolver and
 * the API are meant to be called from other sites (CORS decides who may).
 */
export default fp(
  async (app) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          imgSrc: ["'self'", 'data:', 'https:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
        },
      },
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: { maxAge: 31536000, includeSubDomains: false },
    })
  },
  { name: 'security-headers' },
)
