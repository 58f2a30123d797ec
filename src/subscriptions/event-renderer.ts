/**
 * The JSON text of each delivered event, rendered once and shared by every subscription and WebSocket
 * of this instance that delivers it in the same GS1-EPC-Format. A hundred stream subscriptions matching
 * the same new events would otherwise each read, parse and serialise every body again.
 *
 * Stored events never change, so a rendering stays right; the entry also keeps the event's eventID,
 * which is checked on every hit (a database whose events were removed and whose keys were reused
 * cannot be answered from an old entry). Always_EPC_URN depends on the company prefixes known at
 * the time of the delivery and is rendered for each delivery, as before.
 */
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { formatEventIdentifiers, type EpcFormat } from '../epcis/epc-format.js'
import type { StoredEventRow } from '../query/repository.js'
import { eventAsStored } from '../query/render.js'
import { parseJsonExactly } from '../epcis/exact-json.js'

/** What a delivery batch names: the event and its place; the body is read here only when not yet rendered. */
export interface BatchEvent {
  id: number
  event_id: string
}

export interface RenderedEvent {
  /** The event as JSON, UTF-8 encoded once, without any @context of its own. */
  json: Buffer
  /** Its document's @context (for the page's merged @context): one object per stored context, shared by its events. */
  context: unknown[] | null
}

interface Entry extends RenderedEvent {
  eventId: string
}

/** The most JSON kept, in bytes; the oldest entries go first. */
const MAX_CACHED_BYTES = 32 * 1024 * 1024

export type Render = (event: Record<string, unknown>, row: StoredEventRow) => Record<string, unknown>

/**
 * How events are written in a format: the same way for every delivery (`cacheable`: the same event always gives the
 * same text), or prepared for each delivery from its stored events (Always_EPC_URN: the company prefixes known now).
 */
export type Translation = { cacheable: true; render: Render } | { cacheable: false; renderFor: (rows: StoredEventRow[]) => Promise<Render> }

export class EventRenderer {
  /** By GS1-EPC-Format, then by event key. */
  private readonly entries = new Map<EpcFormat, Map<number, Entry>>()
  private readonly pending = new Map<EpcFormat, Map<number, Promise<Map<number, Entry>>>>()
  /** Every cached entry once, oldest first, for forgetting the oldest. */
  private readonly order = new Map<Entry, { format: EpcFormat; id: number }>()
  /** Each stored @context once, by its id: a delivery merges a context it has already merged at no cost. */
  private readonly contexts = new Map<number, unknown[] | null>()
  private cachedBytes = 0

  constructor(private readonly db: Db) {}

  /**
   * The rendered events of `rows`, in their order, written as `translation` says: cached and shared when it renders
   * every delivery alike, rendered for this delivery alone otherwise.
   */
  async render(rows: BatchEvent[], format: EpcFormat, translation: Translation): Promise<RenderedEvent[]> {
    if (!translation.cacheable) {
      const stored = (await readBodies(this.db, rows.map((r) => r.id))).map(withBody)
      const render = await translation.renderFor(stored)
      const byId = new Map(stored.map((row) => [row.id, row]))
      return rows.map((r) => {
        const row = byId.get(Number(r.id))
        if (!row) throw new Error(`event ${r.id} disappeared during its delivery`)
        return { json: Buffer.from(JSON.stringify(render(eventAsStored(row), row))), context: this.sharedContext(row) }
      })
    }
    const entries = this.entriesOf(format)
    const pending = this.pendingOf(format)
    // Hits are kept here at once: the cache may forget them while the misses are read.
    const found: Array<Entry | undefined> = []
    const waits = new Set<Promise<Map<number, Entry>>>()
    const missing: BatchEvent[] = []
    for (const row of rows) {
      const id = Number(row.id)
      const entry = entries.get(id)
      if (entry && entry.eventId === row.event_id) {
        found.push(entry)
        continue
      }
      found.push(undefined)
      const waiting = pending.get(id)
      if (waiting) waits.add(waiting)
      else missing.push(row)
    }
    if (missing.length > 0) {
      const reading = this.readAndRender(missing, format, translation.render)
      for (const row of missing) pending.set(Number(row.id), reading)
      const settle = () => {
        for (const row of missing) if (pending.get(Number(row.id)) === reading) pending.delete(Number(row.id))
      }
      reading.then(settle, settle)
      waits.add(reading)
    }
    const read = waits.size > 0 ? await Promise.all(waits) : []
    return found.map((hit, i) => {
      const row = rows[i]!
      let entry = hit
      for (let k = 0; !entry && k < read.length; k++) entry = read[k]!.get(Number(row.id))
      if (!entry || entry.eventId !== row.event_id) throw new Error(`event ${row.id} disappeared during its delivery`)
      return entry
    })
  }

  private entriesOf(format: EpcFormat): Map<number, Entry> {
    let entries = this.entries.get(format)
    if (!entries) this.entries.set(format, (entries = new Map()))
    return entries
  }

  private pendingOf(format: EpcFormat): Map<number, Promise<Map<number, Entry>>> {
    let pending = this.pending.get(format)
    if (!pending) this.pending.set(format, (pending = new Map()))
    return pending
  }

  private async readAndRender(rows: BatchEvent[], format: EpcFormat, render: Render): Promise<Map<number, Entry>> {
    const stored = await readBodies(this.db, rows.map((r) => r.id))
    const byId = new Map<number, Entry>()
    for (const text of stored) {
      // Parsed one at a time: each event's objects are gone before the next is parsed.
      const row = withBody(text)
      const entry: Entry = { eventId: row.event_id, json: Buffer.from(JSON.stringify(render(eventAsStored(row), row))), context: this.sharedContext(row) }
      byId.set(Number(row.id), entry)
      this.remember(format, Number(row.id), entry)
    }
    return byId
  }

  private sharedContext(row: StoredContextRow): unknown[] | null {
    if (row.context_id === null) return row.context
    const id = Number(row.context_id)
    if (!this.contexts.has(id)) {
      if (this.contexts.size >= MAX_CACHED_CONTEXTS) this.contexts.clear()
      this.contexts.set(id, row.context)
    }
    return this.contexts.get(id)!
  }

  private remember(format: EpcFormat, id: number, entry: Entry): void {
    const entries = this.entriesOf(format)
    const old = entries.get(id)
    if (old) {
      this.cachedBytes -= old.json.length
      this.order.delete(old)
    }
    entries.set(id, entry)
    this.order.set(entry, { format, id })
    this.cachedBytes += entry.json.length
    for (const [oldest, place] of this.order) {
      if (this.cachedBytes <= MAX_CACHED_BYTES) break
      this.order.delete(oldest)
      this.entries.get(place.format)?.delete(place.id)
      this.cachedBytes -= oldest.json.length
    }
  }
}

type StoredContextRow = StoredEventRow & { context_id: number | string | null }
/** A stored event with its body as the database wrote it: a page of parsed bodies waiting for the last row would outlive young-generation collections. */
type StoredTextRow = Omit<StoredContextRow, 'body'> & { body: string }

function withBody(row: StoredTextRow): StoredContextRow {
  return { ...row, body: parseJsonExactly(row.body) as Record<string, unknown> }
}

/** Stored contexts kept by id (forgotten all at once past this: they are few). */
const MAX_CACHED_CONTEXTS = 1000

async function readBodies(db: Db, ids: number[]): Promise<StoredTextRow[]> {
  const result = await sql<StoredTextRow>`
    SELECT event.id, event.event_id, event.record_time, event.body::text AS body, document_context.context, event.context_id
    FROM event LEFT JOIN document_context ON document_context.id = event.context_id
    WHERE event.id = ANY(${ids.map(Number)}::bigint[])`.execute(db)
  return result.rows
}

const renderers = new WeakMap<Db, EventRenderer>()

/** The renderer of a database handle (one per app, shared by its engine and its WebSockets). */
export function eventRenderer(db: Db): EventRenderer {
  let renderer = renderers.get(db)
  if (!renderer) {
    renderer = new EventRenderer(db)
    renderers.set(db, renderer)
  }
  return renderer
}
