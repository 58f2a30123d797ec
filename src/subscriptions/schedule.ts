/**
 * The EPCIS query schedule (second, minute, hour, dayOfMonth, month, dayOfWeek): each field a
 * comma-separated list of numbers and `[low-high]` ranges; an omitted field matches every value;
 * dayOfWeek 1 is Monday, 7 Sunday. Times are UTC. A time matches when every field matches.
 * (The OpenAPI's patterns for these fields use PCRE recursion that no JavaScript engine compiles.)
 */
import { ERRORS } from '../errors.js'

export const SCHEDULE_FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number]
export type Schedule = Partial<Record<ScheduleField, string>>

const BOUNDS: Record<ScheduleField, [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
}

/** For each field, the set of values it matches (every value when the field is omitted). */
export type CompiledSchedule = Record<ScheduleField, Set<number>>

const NUMBER = /^[0-9]{1,2}$/
const RANGE = /^\[([0-9]{1,2})-([0-9]{1,2})\]$/

function bad(field: string, detail: string): never {
  throw ERRORS.subscriptionControls(`schedule.${field}: ${detail}`)
}

function parseField(field: ScheduleField, text: string): Set<number> {
  const [low, high] = BOUNDS[field]
  const values = new Set<number>()
  if (text === '') bad(field, 'is empty (omit the field to match every value)')
  for (const element of text.split(',')) {
    const range = RANGE.exec(element)
    let from: number
    let to: number
    if (range) {
      from = Number(range[1])
      to = Number(range[2])
      if (from > to) bad(field, `the range ${element} ends before it starts`)
    } else if (NUMBER.test(element)) {
      from = to = Number(element)
    } else {
      bad(field, `'${element}' is neither a number nor a [low-high] range (a comma-separated list of them, e.g. "0,[10-20]")`)
    }
    if (from < low || to > high) bad(field, `${element} is outside ${low} to ${high}`)
    for (let v = from; v <= to; v++) values.add(v)
  }
  return values
}

function everyValue(field: ScheduleField): Set<number> {
  const [low, high] = BOUNDS[field]
  return new Set(Array.from({ length: high - low + 1 }, (_, i) => low + i))
}

/** Checks a schedule object (400 SubscriptionControlsException naming the field) and compiles it. */
export function parseSchedule(schedule: unknown): CompiledSchedule {
  if (schedule === null || typeof schedule !== 'object' || Array.isArray(schedule)) {
    throw ERRORS.subscriptionControls('schedule: must be an object with second, minute, hour, dayOfMonth, month, dayOfWeek')
  }
  for (const key of Object.keys(schedule)) {
    if (!(SCHEDULE_FIELDS as readonly string[]).includes(key)) bad(key, `is not a schedule field (${SCHEDULE_FIELDS.join(', ')})`)
  }
  const given = schedule as Record<string, unknown>
  const compiled = {} as CompiledSchedule
  for (const field of SCHEDULE_FIELDS) {
    const value = given[field]
    if (value === undefined) {
      compiled[field] = everyValue(field)
      continue
    }
    if (typeof value !== 'string' && typeof value !== 'number') bad(field, 'must be a string such as "0,15,[30-45]"')
    compiled[field] = parseField(field, String(value))
  }
  if (nextScheduledTime(compiled, new Date()) === undefined) {
    throw ERRORS.subscriptionControls('schedule.dayOfMonth: no date matches dayOfMonth, month and dayOfWeek together')
  }
  return compiled
}

/** How far ahead a match is looked for: a 29 February on a given weekday recurs within 28 years. */
const SEARCH_DAYS = 366 * 29
const DAY_MS = 86_400_000

/** The first whole second strictly after `after` that the schedule matches (UTC); undefined when none ever does. */
export function nextScheduledTime(schedule: CompiledSchedule, after: Date): Date | undefined {
  const start = Math.floor(after.getTime() / 1000) * 1000 + 1000
  const firstDay = Math.floor(start / DAY_MS) * DAY_MS
  for (let d = 0; d < SEARCH_DAYS; d++) {
    const day = new Date(firstDay + d * DAY_MS)
    const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay()
    if (!schedule.month.has(day.getUTCMonth() + 1) || !schedule.dayOfMonth.has(day.getUTCDate()) || !schedule.dayOfWeek.has(weekday)) {
      continue
    }
    const from = d === 0 ? (start - firstDay) / 1000 : 0
    for (const hour of sorted(schedule.hour)) {
      if ((hour + 1) * 3600 <= from) continue
      for (const minute of sorted(schedule.minute)) {
        if (hour * 3600 + (minute + 1) * 60 <= from) continue
        for (const second of sorted(schedule.second)) {
          const offset = hour * 3600 + minute * 60 + second
          if (offset >= from) return new Date(day.getTime() + offset * 1000)
        }
      }
    }
  }
  return undefined
}

function sorted(values: Set<number>): number[] {
  return [...values].sort((a, b) => a - b)
}
