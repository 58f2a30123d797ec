import type { Interval } from './types.js'

export function intersect(a: Interval, b: Interval): Interval | undefined {
  const from = Math.max(a.from, b.from)
  const to = Math.min(a.to, b.to)
  return from <= to ? { from, to } : undefined
}

export function contains(interval: Interval, t: number): boolean {
  return interval.from <= t && t <= interval.to
}

/** True when `interval` lies inside one of the (disjoint, merged) intervals. */
export function covered(intervals: readonly Interval[], interval: Interval): boolean {
  return intervals.some((i) => i.from <= interval.from && interval.to <= i.to)
}

/** Adds an interval to a merged list (in place); false when it was already covered. */
export function addInterval(intervals: Interval[], interval: Interval): boolean {
  if (covered(intervals, interval)) return false
  let { from, to } = interval
  const kept: Interval[] = []
  for (const i of intervals) {
    if (i.to < from || i.from > to) kept.push(i)
    else {
      from = Math.min(from, i.from)
      to = Math.max(to, i.to)
    }
  }
  kept.push({ from, to })
  kept.sort((a, b) => a.from - b.from)
  intervals.splice(0, intervals.length, ...kept)
  return true
}

export function intervalKey(interval: Interval): string {
  return `${interval.from}/${interval.to}`
}
