import type pg from 'pg'

/**
 * SQLSTATEs meaning "the server is not there right now" rather than "this statement is wrong":
 * class 08 (connection exceptions), admin/crash shutdown, "the database system is starting up / shutting down".
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND'])
/** node-postgres reports a lost or unusable connection with these messages and no code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'is not queryable',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
]

/** True when an error says the database cannot be reached (an outage, a restart, a killed connection). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true
  if (UNAVAILABLE_MESSAGES.some((text) => error.message.includes(text))) return true
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true
  return isDatabaseUnavailable(error.cause, depth + 1)
}

/**
 * node-postgres emits `error` on a client whose connection is lost; with no listener that kills the
 * process. The pool listens on its idle clients only, so every client gets a listener of its own when it
 * connects: a client checked out between two statements (a transaction waiting on the app) then fails
 * its next statement instead, the pool drops it on release, and the caller sees an error that
 * isDatabaseUnavailable recognises. `log` is called once per lost connection.
 */
export function guardConnectionErrors<T extends pg.Pool>(pool: T, log: (err: Error) => void): T {
  pool.on('connect', (client) => {
    client.on('error', log)
  })
  // The pool re-emits an idle client's error; the client's own listener above has logged it.
  pool.on('error', () => undefined)
  return pool
}
