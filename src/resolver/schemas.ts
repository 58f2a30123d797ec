/** Route schemas of the resolver (documentation of answers the handlers serialise themselves). */

const linkTarget = {
  type: 'object',
  required: ['href', 'title'],
  properties: {
    href: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    type: { type: 'string', description: 'Media type of the target' },
    hreflang: { type: 'array', items: { type: 'string' } },
    context: { type: 'array', items: { type: 'string' } },
    fwqs: { type: 'boolean', description: 'false when the query string of a request is not passed on' },
  },
} as const

export const linksetSchema = {
  type: 'object',
  description:
    'An RFC 9264 linkset (application/linkset+json) as the GS1-Conformant Resolver standard shapes it: one link context ' +
    'object per level of the key that has links, link types as GS1 Web Vocabulary IRIs (https://gs1.org/voc/pip, ...).',
  required: ['linkset'],
  properties: {
    linkset: {
      type: 'array',
      items: {
        type: 'object',
        required: ['anchor', 'itemDescription'],
        properties: { anchor: { type: 'string', format: 'uri' }, itemDescription: { type: 'string' } },
        additionalProperties: { type: 'array', items: linkTarget },
      },
    },
  },
} as const

/** The query parameters a resolver request understands (GS1 data attributes such as ?17=251231 are accepted too). */
export const resolverQuery = {
  type: 'object',
  properties: {
    linkType: {
      type: 'string',
      description:
        'A GS1 link type (gs1:pip or https://gs1.org/voc/pip) to redirect to, or "linkset" for the linkset ("all" is read the same).',
    },
    lang: { type: 'string', description: 'Preferred language(s), comma-separated; overrides Accept-Language' },
    context: { type: 'string', description: 'A context value to match against the links\' context' },
    mediaType: { type: 'string', description: 'Preferred media type of the target; overrides Accept' },
  },
} as const
