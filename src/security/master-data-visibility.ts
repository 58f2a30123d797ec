/**
 * Master data a principal may read: the elements its organisation wrote (a captured document's header,
 * or PUT /vocabularies), and the elements that events it may see refer to: as readPoint or bizLocation,
 * as a source or destination, or as an identifier (an EPC class also covers the serials of that class,
 * https://id.gs1.org/01/<GTIN> covering .../01/<GTIN>/21/<serial>). Other organisations' product and
 * location data stays hidden until one of their events involving the caller makes it relevant.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { LinkKind } from '../db/tables/event-link.js'
import { visibleEventCondition, type VisibilityScope } from './visibility.js'

/** The predicate over a row of vocabulary_element under `alias`. */
export function visibleElementCondition(scope: VisibilityScope, alias: string): RawBuilder<SqlBool> {
  const type = sql.ref(`${alias}.vocabulary_type`)
  const id = sql.ref(`${alias}.element_id`)
  const visible = visibleEventCondition(scope, 'event')
  const owned =
    scope.organisationId === null
      ? sql<SqlBool>`false`
      : sql<SqlBool>`EXISTS (
          SELECT 1 FROM vocabulary_element own
          WHERE own.vocabulary_type = ${type} AND own.element_id = ${id} AND own.organisation_id = ${scope.organisationId})`
  return sql<SqlBool>`(${owned} OR EXISTS (
    SELECT 1 FROM vocabulary_element mv JOIN vocabulary_element_key mk ON mk.element_pk = mv.id
    WHERE mv.vocabulary_type = ${type} AND mv.element_id = ${id} AND (
      EXISTS (SELECT 1 FROM event WHERE (event.read_point = mk.element_key OR event.biz_location = mk.element_key) AND ${visible})
      OR EXISTS (SELECT 1 FROM event_link l JOIN event ON event.id = l.event_pk
                 WHERE l.value = mk.element_key AND l.kind IN (${LinkKind.source}, ${LinkKind.destination}) AND ${visible})
      OR EXISTS (SELECT 1 FROM event_identifier i JOIN event ON event.id = i.event_pk
                 WHERE (i.identifier = mk.element_key
                        OR i.identifier LIKE replace(replace(replace(mk.element_key, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '/%')
                   AND ${visible}))))`
}
