/**
 * The instant an xsd:dateTime / RFC 3339 text names, or undefined when it names none that both EPCIS and
 * PostgreSQL accept: a four-digit year from 0001 (PostgreSQL has no year 0, which Date.parse takes for 1 BC)
 * to 9999, and a real date and time (Date.parse checks those).
 */
export function parseInstant(text: string): Date | undefined {
  const year = /^(\d{4})-\d{2}-\d{2}[Tt ]/.exec(text)
  if (!year || Number(year[1]) < 1) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : new Date(ms)
}
