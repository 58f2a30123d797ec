/**
 * "Published only" as SQL, for every path that shows events to those who may not see held or rejected
 * ones: other organisations' queries (src/security/visibility.ts), the consumer page and resolver, and
 * forwarding to peers. An event with no event_publication row, or one a reviewer approved, is published;
 * the anti-join reads event_publication by its primary key.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import type { PublicationState } from '../db/tables/event-publication.js'

/** The event whose key is `eventPk` (e.g. sql.ref('e.id')) is published. */
export function publishedEventKey(eventPk: Expression<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM event_publication pub WHERE pub.event_pk = ${eventPk} AND pub.state <> 'published')`
}

/** The row of `event` under `alias` is published. */
export function publishedOnly(alias: string): RawBuilder<SqlBool> {
  return publishedEventKey(sql.ref(`${alias}.id`))
}

/** The row of `event` under `alias` is in one of these states (EQ_publicationState). */
export function inPublicationStates(alias: string, states: readonly PublicationState[]): RawBuilder<SqlBool> {
  const others = states.filter((s) => s !== 'published')
  if (states.includes('published')) {
    // Published, or in one of the other states asked for: no row in a state not asked for.
    return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM event_publication pub WHERE pub.event_pk = ${sql.ref(`${alias}.id`)}
      AND pub.state <> ALL(${['published', ...others]}::text[]))`
  }
  return sql<SqlBool>`${sql.ref(`${alias}.id`)} IN (SELECT pub.event_pk FROM event_publication pub WHERE pub.state = ANY(${others}::text[]))`
}
