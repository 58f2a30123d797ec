import type { PageLanguage } from './translations.js'

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const OFFSET = /^([+-])(\d{2}):(\d{2})$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})/

const two = (n: number) => String(n).padStart(2, '0')

function dayText(year: number, month: number, day: number, language: PageLanguage): string {
  return language === 'vi' ? `${two(day)}/${two(month)}/${year}` : `${day} ${EN_MONTHS[month - 1]} ${year}`
}

/** The time as it was on the clock where the event happened (its eventTimeZoneOffset), e.g. 01/05/2024 08:00. */
export function localDateTime(time: Date, offset: string, language: PageLanguage): string {
  const match = OFFSET.exec(offset)
  const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0
  const local = new Date(time.getTime() + minutes * 60_000)
  const day = dayText(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), language)
  return `${day}${language === 'vi' ? ' ' : ', '}${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`
}

/** An xsd:date or date-time (ILMD, master data) as a day; undefined when it is not one. */
export function dayOf(value: string, language: PageLanguage): string | undefined {
  const match = DATE.exec(value)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined
  return dayText(year, month, day, language)
}

/**
 * A GS1 date (AI 15, 17: YYMMDD) as an xsd:date. Day 00 means the last day of the month; the century
 * follows the GS1 General Specifications' sliding window (7.12) around the current year.
 */
export function gs1DateToIso(value: string, now = new Date()): string | undefined {
  if (!/^\d{6}$/.test(value)) return undefined
  const yy = Number(value.slice(0, 2))
  const month = Number(value.slice(2, 4))
  let day = Number(value.slice(4, 6))
  if (month < 1 || month > 12) return undefined
  const current = now.getUTCFullYear()
  const century = Math.floor(current / 100) * 100
  const difference = yy - (current % 100)
  const year = difference >= 51 ? century - 100 + yy : difference <= -50 ? century + 100 + yy : century + yy
  if (day === 0) day = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${year}-${two(month)}-${two(day)}`
}
