import { sql, type Expression, type SqlBool } from 'kysely'

/**
 * "Events this caller may see", as SQL over one row of `event` under the given alias (e.g. `e`). The walk
 * puts it inside every statement that reads events (the frontier's own events, the DELETE that ends an
 * aggregation, the events sharing a transformationID, the lot statements), so a node that only hidden events
 * lead to is never reached and a hidden event never shapes the answer. The security layer supplies its own.
 */
export type EventVisibility = (alias: string) => Expression<SqlBool>

/** Every event is visible (no security layer yet). */
export const everyEvent: EventVisibility = () => sql<SqlBool>`true`
