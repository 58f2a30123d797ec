import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { authorised } from './app-server.js'

const LD_JSON = { 'content-type': 'application/ld+json' }

export interface JobView {
  captureID: string
  finishedAt?: string
  running: boolean
  success: boolean
  status: string
  eventCount: number
  storedCount: number
  errors: Array<{ detail?: string; pointer?: string; eventIndex?: number }>
}

export interface Rejection {
  what: string
  status: number
  body: string
}

export interface CaptureRun {
  /** performance.now() of the first POST, of the last 202 and of the moment the last job was seen finished. */
  firstPostAt: number
  lastAcceptedAt: number
  lastSeenFinishedAt: number
  /** Date.now() of the first POST, to set against the jobs' own finishedAt (same clock: the app runs in this process). */
  firstPostEpochMs: number
  /** Milliseconds from sending each accepted POST to its 202. */
  acceptMs: number[]
  finished: JobView[]
  /** Jobs still running when the wait ran out. */
  unfinished: JobView[]
  rejected: Rejection[]
}

function snippet(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

async function jobAt(location: string): Promise<JobView | Rejection> {
  const response = await fetch(location, { headers: authorised() })
  const text = await response.text()
  if (response.status !== 200) return { what: `GET ${location}`, status: response.status, body: snippet(text) }
  return JSON.parse(text) as JobView
}

function isRejection(value: JobView | Rejection): value is Rejection {
  return 'what' in value
}

/**
 * POSTs the documents from `clients` concurrent clients and, meanwhile, follows the accepted jobs
 * oldest first until each reports running=false. Gives up on jobs still running `waitMs` after the last POST.
 */
export async function captureConcurrently(
  baseUrl: string,
  bodies: string[],
  clients: number,
  waitMs: number,
  /** The capturer's API key (default: the operator key). */
  apiKey?: string,
): Promise<CaptureRun> {
  const captureHeaders = apiKey === undefined ? authorised(LD_JSON) : { ...LD_JSON, authorization: `Bearer ${apiKey}` }
  const run: CaptureRun = {
    firstPostAt: performance.now(),
    lastAcceptedAt: Number.NaN,
    lastSeenFinishedAt: Number.NaN,
    firstPostEpochMs: Date.now(),
    acceptMs: [],
    finished: [],
    unfinished: [],
    rejected: [],
  }
  const pending: string[] = []
  let next = 0
  let posting = true

  const client = async () => {
    while (next < bodies.length) {
      const index = next++
      const started = performance.now()
      const response = await fetch(`${baseUrl}/capture`, { method: 'POST', headers: captureHeaders, body: bodies[index] })
      const text = await response.text()
      const location = response.headers.get('location')
      if (response.status === 202 && location) {
        run.lastAcceptedAt = performance.now()
        run.acceptMs.push(run.lastAcceptedAt - started)
        pending.push(new URL(location, baseUrl).href)
      } else {
        run.rejected.push({ what: `POST /capture of document ${index}`, status: response.status, body: snippet(text) })
      }
    }
  }

  const follow = async () => {
    let deadline = Number.POSITIVE_INFINITY
    while (posting || pending.length > 0) {
      if (!posting && deadline === Number.POSITIVE_INFINITY) deadline = performance.now() + waitMs
      if (performance.now() > deadline) break
      const location = pending[0]
      if (location === undefined) {
        await sleep(20)
        continue
      }
      const view = await jobAt(location)
      if (isRejection(view)) {
        pending.shift()
        run.rejected.push(view)
      } else if (!view.running) {
        pending.shift()
        run.finished.push(view)
        run.lastSeenFinishedAt = performance.now()
      } else {
        await sleep(50)
      }
    }
    for (const location of pending) {
      const view = await jobAt(location)
      if (isRejection(view)) run.rejected.push(view)
      else run.unfinished.push(view)
    }
  }

  run.firstPostAt = performance.now()
  run.firstPostEpochMs = Date.now()
  const posted = Promise.all(Array.from({ length: clients }, client)).finally(() => {
    posting = false
  })
  await Promise.all([posted, follow()])
  return run
}

/** The latest finishedAt the jobs report, in Date.now() milliseconds. */
export function lastFinishedEpochMs(jobs: JobView[]): number {
  return Math.max(...jobs.map((job) => (job.finishedAt ? Date.parse(job.finishedAt) : Number.NaN)))
}

export interface SingleEventsRun {
  totalMs: number
  requestMs: number[]
  rejected: Rejection[]
}

/** POST /events, one event after the other. */
export async function postEventsSequentially(baseUrl: string, bodies: string[]): Promise<SingleEventsRun> {
  const run: SingleEventsRun = { totalMs: 0, requestMs: [], rejected: [] }
  const started = performance.now()
  for (const [index, body] of bodies.entries()) {
    const before = performance.now()
    const response = await fetch(`${baseUrl}/events`, { method: 'POST', headers: authorised(LD_JSON), body })
    const text = await response.text()
    run.requestMs.push(performance.now() - before)
    if (response.status !== 201) run.rejected.push({ what: `POST /events of event ${index}`, status: response.status, body: snippet(text) })
  }
  run.totalMs = performance.now() - started
  return run
}
