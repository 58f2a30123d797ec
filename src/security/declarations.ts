/**
 * Who may declare an event erroneous. An error declaration takes effect on the events with its eventID that
 * the same organisation captured; one captured by an operator key, an admin or an authority
 * (`event.declares_for_all`) on every event with that eventID. Anyone else's declaration is kept (capture only
 * adds) but has no effect. The rule is applied where declarations are read, never at capture, so a declaration
 * that arrives before the event it declares is attributed the same way.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely'

/** Whether the declaration row under `declaration` takes effect on the event row under `event`. */
export function takesEffectOn(declaration: string, event: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${declaration}.declares_for_all`)}
    OR ${sql.ref(`${declaration}.organisation_id`)} = ${sql.ref(`${event}.organisation_id`)})`
}

/** Whether a declaration that takes effect names the event row under `alias`. */
export function declaredErroneous(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM event x WHERE x.event_id = ${sql.ref(`${alias}.event_id`)}
    AND x.error_declaration_time IS NOT NULL AND ${takesEffectOn('x', alias)})`
}

/**
 * Whether the row under `alias` is an error declaration that takes effect: captured with the right to declare any
 * event, or by an organisation that captured an event with that eventID.
 */
export function declarationInEffect(alias: string): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`)
  return sql<SqlBool>`(${column('error_declaration_time')} IS NOT NULL AND (${column('declares_for_all')} OR EXISTS (
    SELECT 1 FROM event t WHERE t.event_id = ${column('event_id')} AND t.error_declaration_time IS NULL
      AND t.organisation_id = ${column('organisation_id')})))`
}

/**
 * The rows a reader of events may be shown: events, declarations that take effect, and, to the organisation that
 * captured it only, a declaration without effect (it is that organisation's own record).
 */
export function shownDeclarations(alias: string, organisationId: string | null): RawBuilder<SqlBool> {
  const own = organisationId === null ? sql<SqlBool>`false` : sql<SqlBool>`${sql.ref(`${alias}.organisation_id`)} = ${organisationId}`
  return sql<SqlBool>`(${sql.ref(`${alias}.error_declaration_time`)} IS NULL OR ${own} OR ${declarationInEffect(alias)})`
}

/**
 * Whether a caller's error declarations take effect on every organisation's events: the operator key and `admin` or
 * `authority` holders. A caller of no organisation without those roles (a JWT naming none) declares nothing.
 */
export function declaresForAll(caller: { roles: readonly string[] }): boolean {
  return caller.roles.includes('admin') || caller.roles.includes('authority')
}
