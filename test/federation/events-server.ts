/**
 * A repository that only serves GET /events (the "fourth repository" a national level pulls from): its events
 * in record-time order from GE_recordTime on, perPage at a time, with Link next-page tokens; a bearer token.
 * Events can be added with any record time, as a repository whose transactions commit out of order shows them.
 */
import http from 'node:http'
import { EPCIS_CONTEXT_URL } from '../../src/epcis/known-contexts.js'

export interface EventsServer {
  url: string
  events: Array<Record<string, unknown> & { recordTime: string }>
  requests: string[]
  close(): Promise<void>
}

export async function startEventsServer(token: string): Promise<EventsServer> {
  const server: EventsServer = { url: '', events: [], requests: [], close: async () => undefined }
  const http_ = http.createServer((request, response) => {
    const url = new URL(request.url!, 'http://localhost')
    server.requests.push(url.pathname + url.search)
    if (request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401, { 'content-type': 'application/problem+json' })
      response.end(JSON.stringify({ type: 'epcisException:SecurityException', title: 'Unauthorized', status: 401 }))
      return
    }
    if (url.pathname !== '/events') {
      response.writeHead(404)
      response.end()
      return
    }
    const from = Date.parse(url.searchParams.get('GE_recordTime') ?? '1970-01-01T00:00:00Z')
    const perPage = Number(url.searchParams.get('perPage') ?? 100)
    const offset = Number(url.searchParams.get('nextPageToken') ?? 0)
    const matching = [...server.events]
      .filter((e) => Date.parse(e.recordTime) >= from)
      .sort((a, b) => Date.parse(a.recordTime) - Date.parse(b.recordTime))
    const page = matching.slice(offset, offset + perPage)
    const headers: Record<string, string> = { 'content-type': 'application/ld+json' }
    if (offset + perPage < matching.length) {
      const next = new URLSearchParams(url.searchParams)
      next.set('nextPageToken', String(offset + perPage))
      headers.link = `</events?${next.toString()}>; rel="next"`
    }
    response.writeHead(200, headers)
    response.end(
      JSON.stringify({
        '@context': [EPCIS_CONTEXT_URL],
        type: 'EPCISQueryDocument',
        schemaVersion: '2.0',
        creationDate: new Date().toISOString(),
        epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page } } },
      }),
    )
  })
  await new Promise<void>((resolve) => http_.listen(0, '127.0.0.1', resolve))
  server.url = `http://127.0.0.1:${(http_.address() as { port: number }).port}`
  server.close = () =>
    new Promise((resolve) => {
      http_.closeAllConnections()
      http_.close(() => resolve())
    })
  return server
}
