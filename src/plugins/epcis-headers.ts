import fp from 'fastify-plugin'

export const EPCIS_VERSION = '2.0.0'
export const CBV_VERSION = '2.0.0'

/** The version headers the EPCIS 2.0 REST binding asks for on every response. */
export const versionHeaders = {
  'GS1-EPCIS-Version': EPCIS_VERSION,
  'GS1-CBV-Version': CBV_VERSION,
} as const

/** The discovery headers that OPTIONS answers with. */
export const discoveryHeaders = {
  ...versionHeaders,
  'GS1-EPCIS-Min': EPCIS_VERSION,
  'GS1-EPCIS-Max': EPCIS_VERSION,
  'GS1-CBV-Min': CBV_VERSION,
  'GS1-CBV-Max': CBV_VERSION,
  'GS1-Vendor-Version': 'nguon-0.1.0',
  'GS1-EPC-Format': 'Always_GS1_Digital_Link, Always_EPC_URN, Never_Translates, No_Preference',
} as const

export default fp(
  async (app) => {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(versionHeaders)
      return payload
    })
  },
  { name: 'epcis-headers' },
)
