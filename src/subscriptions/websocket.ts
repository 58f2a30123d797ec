/**
 * WebSocket subscriptions: `GET /queries/{queryName}/events` with `Upgrade: websocket` and `stream=true`
 * or the schedule fields as query parameters. Each message is an EPCISQueryDocument. The socket reads
 * through the delivery engine's cursor and renderer; its position lives in this instance's memory
 * (the socket is bound to it), and the engine wakes it whenever any instance stores events.
 */
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import type { Db } from '../db/database.js'
import type { EpcFormat } from '../epcis/epc-format.js'
import { ERRORS } from '../errors.js'
import { epcFormatOf } from '../http/event-response.js'
import type { Filter } from '../query/filters.js'
import { deliveryDocument } from './document.js'
import type { DeliveryEngine, LocalConsumer } from './engine.js'
import { namedQueryFilters } from './event-source.js'
import { readBatch, type Cursor } from './repository.js'
import { nextScheduledTime, parseSchedule, SCHEDULE_FIELDS, type CompiledSchedule } from './schedule.js'
import { checkControls, startingCursor, type SubscriptionControls } from './service.js'

interface SessionStart {
  queryName: string
  controls: SubscriptionControls
  filters: Filter[]
  cursor: Cursor
  minRecordTime: Date
  epcFormat: EpcFormat
}

const sessions = new WeakMap<FastifyRequest, SessionStart>()
const ALLOWED = new Set(['stream', 'reportIfEmpty', 'initialRecordTime', 'ticket', ...SCHEDULE_FIELDS])

function booleanParam(name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined
  if (value === 'true') return true
  if (value === 'false') return false
  throw ERRORS.subscriptionControls(`${name}: must be true or false`)
}

/**
 * Before the upgrade: checks the controls (400 SubscriptionControlsException naming the parameter, as an
 * HTTP answer), the query (404) and fixes the starting position, so no event stored meanwhile is missed.
 */
export function websocketPreHandler(db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!(request as FastifyRequest & { ws?: boolean }).ws) return
    const query = request.query as Record<string, unknown>
    for (const name of Object.keys(query)) {
      if (!ALLOWED.has(name)) throw ERRORS.subscriptionControls(`${name}: not a WebSocket subscription parameter (stream, ${SCHEDULE_FIELDS.join(', ')}, reportIfEmpty, initialRecordTime)`)
      if (Array.isArray(query[name])) throw ERRORS.subscriptionControls(`${name}: given more than once`)
    }
    const scheduleGiven = SCHEDULE_FIELDS.filter((f) => query[f] !== undefined)
    const controls = checkControls({
      stream: booleanParam('stream', query.stream),
      schedule: scheduleGiven.length > 0 ? Object.fromEntries(scheduleGiven.map((f) => [f, query[f]])) : undefined,
      reportIfEmpty: booleanParam('reportIfEmpty', query.reportIfEmpty),
      initialRecordTime: query.initialRecordTime,
    })
    const { queryName } = request.params as { queryName: string }
    const principal = request.principal
    const filters = await namedQueryFilters(db, queryName, { organisationId: principal.organisationId, seesEverything: principal.seesEverything })
    const start = await startingCursor(db, controls.initialRecordTime)
    sessions.set(request, {
      queryName,
      controls,
      filters,
      cursor: { xid: start.xid, pk: 0 },
      minRecordTime: start.from,
      epcFormat: epcFormatOf(request),
    })
  }
}

class WebSocketSession implements LocalConsumer {
  private readonly id = randomUUID()
  private draining: Promise<void> | undefined
  private again = false
  private timer: NodeJS.Timeout | undefined
  private readonly schedule: CompiledSchedule | undefined
  closed = false

  constructor(
    private readonly db: Db,
    private readonly socket: WebSocket,
    private readonly start: SessionStart,
    private readonly batchSize: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.schedule = start.controls.schedule ? parseSchedule(start.controls.schedule) : undefined
    if (this.schedule) this.armSchedule()
  }

  wake(): void {
    if (!this.schedule) this.drain(false)
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
  }

  private armSchedule(): void {
    const next = nextScheduledTime(this.schedule!, new Date())
    if (!next || this.closed) return
    this.timer = setTimeout(() => {
      this.drain(this.start.controls.reportIfEmpty)
      this.armSchedule()
    }, Math.max(0, next.getTime() - Date.now()))
  }

  private drain(reportIfEmpty: boolean): void {
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = this.read(reportIfEmpty)
      .catch((err) => this.onError(err))
      .finally(() => {
        this.draining = undefined
        if (this.again && !this.closed) {
          this.again = false
          this.drain(false)
        }
      })
  }

  private async read(reportIfEmpty: boolean): Promise<void> {
    let sent = 0
    while (!this.closed) {
      const rows = await readBatch(this.db, { filters: this.start.filters, after: this.start.cursor, minRecordTime: this.start.minRecordTime, limit: this.batchSize })
      if (rows.length === 0 && !(reportIfEmpty && sent === 0)) return
      const body = await deliveryDocument(this.db, rows, { queryName: this.start.queryName, subscriptionId: this.id, epcFormat: this.start.epcFormat })
      await new Promise<void>((resolve, reject) => this.socket.send(Buffer.concat(body), { binary: false }, (err) => (err ? reject(err) : resolve())))
      sent++
      if (rows.length === 0) return
      const last = rows.at(-1)!
      this.start.cursor = { xid: last.xid, pk: Number(last.id) }
      if (rows.length < this.batchSize) return
    }
  }
}

/** After the upgrade: one session per socket, woken by the engine until the socket closes. */
export function websocketHandler(db: Db, engine: DeliveryEngine, batchSize: number) {
  return (socket: WebSocket, request: FastifyRequest): void => {
    const start = sessions.get(request)
    if (!start) {
      socket.close(1011, 'subscription not prepared')
      return
    }
    const session = new WebSocketSession(db, socket, start, batchSize, (err) => {
      request.log.warn({ err }, 'WebSocket subscription failed')
      socket.close(1011, 'delivery failed')
    })
    const detach = engine.attach(session)
    socket.on('close', () => {
      session.close()
      detach()
    })
    session.wake()
  }
}
