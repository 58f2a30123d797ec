import type pg from 'pg'

/**
 * Puts the database in the same state before each of two measurements that are compared: every table vacuumed
 * and analysed, and autovacuum off for the tables of this (throw-away) database.
 *
 * Autovacuum visits a database on a one-minute timer and then pays off the inserts of everything before it:
 * in the subscriptions scenario it landed in the second measurement in every run (280–650 ms of PostgreSQL CPU
 * for the first measurement's events, the migrations and the set-up), whatever that measurement did. Comparing
 * two measurements then compares when the timer fired. System catalogs keep autovacuum (it cannot be turned off
 * for them), but the VACUUM leaves them nothing to do.
 */
export async function quietTables(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
  )
  for (const { name } of rows) await pool.query(`ALTER TABLE ${name} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)`)
  await pool.query('VACUUM (ANALYZE)')
}
