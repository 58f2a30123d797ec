import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Database, Db } from '../db/database.js'
import type { Filter } from './filters.js'

export interface StoredEventRow {
  id: number
  event_id: string
  record_time: Date
  body: Record<string, unknown>
  context: unknown[] | null
}

type EventExpressions = ExpressionBuilder<Database, 'event'>

function condition(eb: EventExpressions, filter: Filter): Expression<SqlBool> {
  switch (filter.kind) {
    case 'eventType':
      return eb('event.event_type', 'in', filter.values)
    case 'time':
      return eb(`event.${filter.column}`, filter.op, sql<Date>`${filter.value}::timestamptz`)
    case 'equals':
      return eb(`event.${filter.column}`, 'in', filter.values)
    case 'exists':
      return eb(`event.${filter.column}`, 'is not', null)
    case 'correctiveEventId':
      return eb.and([
        eb('event.error_declaration_time', 'is not', null),
        eb.or(
          filter.values.map(
            (id) => sql<boolean>`event.body -> 'errorDeclaration' -> 'correctiveEventIDs' @> ${JSON.stringify([id])}::jsonb`,
          ),
        ),
      ])
    case 'identifier': {
      const matches = eb
        .selectFrom('event_identifier')
        .select('event_identifier.event_pk')
        .where('event_identifier.role', 'in', filter.roles)
        .where((inner) =>
          inner.or([
            ...(filter.exact.length ? [inner('event_identifier.identifier', 'in', filter.exact)] : []),
            ...filter.like.map((pattern) => inner('event_identifier.identifier', 'like', pattern)),
          ]),
        )
      return eb('event.id', 'in', matches)
    }
  }
}

/** One page of events matching every filter, in storage order, after the given key. */
export async function findEvents(
  db: Db,
  filters: Filter[],
  page: { limit: number; afterId?: number },
): Promise<StoredEventRow[]> {
  return db
    .selectFrom('event')
    .leftJoin('document_context', 'document_context.id', 'event.context_id')
    .select([
      'event.id',
      'event.event_id',
      'event.record_time',
      'event.body',
      sql<unknown[] | null>`document_context.context`.as('context'),
    ])
    .where((eb) => eb.and(filters.map((f) => condition(eb, f))))
    .$if(page.afterId !== undefined, (q) => q.where('event.id', '>', page.afterId!))
    .orderBy('event.id')
    .limit(page.limit)
    .execute()
}

export async function findEventsById(db: Db, eventId: string): Promise<StoredEventRow[]> {
  return findEvents(db, [{ kind: 'equals', column: 'event_id', values: [eventId] }], { limit: 1000 })
}
