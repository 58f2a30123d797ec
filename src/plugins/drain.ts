import fp from 'fastify-plugin'

/**
 * Once the app is closing, every answer still being sent closes its connection: the server stops only
 * when no connection is left, and a keep-alive connection idle after its last answer would otherwise
 * hold the shutdown until the grace period runs out.
 */
export default fp(
  async (app) => {
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    app.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close')
    })
  },
  { name: 'drain' },
)
