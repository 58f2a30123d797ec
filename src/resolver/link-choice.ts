import type { Preferences, Weighted } from './preferences.js'

/** One link a resolver knows for a key (registered by its owner or provided by the repository). */
export interface ResolverLink {
  /** GS1 link type name, e.g. "pip" (https://gs1.org/voc/pip). */
  readonly linkType: string
  readonly href: string
  readonly title: string
  readonly type?: string
  readonly hreflang?: readonly string[]
  readonly context?: readonly string[]
  /** false: the request's query string is not passed on when redirecting (the linkset schema's "fwqs"). */
  readonly fwqs?: boolean
  /**
   * The href ends with the key's Digital Link path (the service's own pages): a request for a more
   * granular key that walks up to this link gets its remaining key qualifiers appended to the path.
   */
  readonly keyPath?: boolean
}

export type Choice = { readonly kind: 'link'; readonly link: ResolverLink } | { readonly kind: 'choices'; readonly links: ResolverLink[] }

/*
 * Each attribute is scored so that, when the request says nothing about it, a link that does not
 * restrict it (no hreflang, no context, no type) beats one that does, and when the request states a
 * preference, a matching link beats an unrestricted one, which beats a mismatch. GS1's resolver test
 * suite expects exactly this: asking with a link's own attributes must single that link out.
 */

/** How well a language tag serves a wanted range: exact, more general (en for en-GB), more specific, a sibling. */
function languageMatch(tag: string, wanted: string): number {
  if (wanted === tag) return 1
  if (wanted === '*') return 0.1
  if (wanted.startsWith(`${tag}-`)) return 0.9
  if (tag.startsWith(`${wanted}-`)) return 0.8
  return tag.split('-')[0] === wanted.split('-')[0] ? 0.7 : 0
}

function languageScore(hreflang: readonly string[] | undefined, wanted: readonly Weighted[]): number {
  if (!hreflang?.length) return 1
  if (wanted.length === 0) return 0
  let best = 0
  for (const tag of hreflang.map((t) => t.toLowerCase())) {
    for (const { value, q } of wanted) {
      const weight = languageMatch(tag, value)
      if (q > 0 && weight > 0) best = Math.max(best, 1 + q * weight)
    }
  }
  return best
}

function contextScore(context: readonly string[] | undefined, wanted: readonly string[]): number {
  if (!context?.length) return 1
  if (wanted.length === 0) return 0
  return context.some((c) => wanted.includes(c.toLowerCase())) ? 2 : 0
}

function mediaScore(type: string | undefined, wanted: readonly Weighted[]): number {
  if (!type) return 1
  if (wanted.length === 0) return 0
  const mediaType = type.toLowerCase().split(';')[0]!.trim()
  const major = mediaType.split('/')[0]
  let best = 0
  for (const { value, q } of wanted) {
    if (value === mediaType || value === `${major}/*` || value === '*/*') best = Math.max(best, q)
  }
  return best > 0 ? 1 + best : 0
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

/** The links that match the request best: by language, then context, then media type. */
export function bestLinks(candidates: readonly ResolverLink[], preferences: Preferences): ResolverLink[] {
  const scored = candidates.map((link) => ({
    link,
    score: [
      languageScore(link.hreflang, preferences.languages),
      contextScore(link.context, preferences.contexts),
      mediaScore(link.type, preferences.mediaTypes),
    ],
  }))
  let best: typeof scored = []
  for (const entry of scored) {
    const order = best.length ? compare(entry.score, best[0]!.score) : 1
    if (order > 0) best = [entry]
    else if (order === 0) best.push(entry)
  }
  return best.map((entry) => entry.link)
}

/**
 * Chooses among links of one type. `preferred` (the designated default link) wins a tie it is part
 * of; links to the same target are one choice; otherwise equally good links are a 300 answer.
 */
export function chooseLink(candidates: readonly ResolverLink[], preferences: Preferences, preferred?: ResolverLink): Choice {
  const best = bestLinks(candidates, preferences)
  if (preferred && best.includes(preferred)) return { kind: 'link', link: preferred }
  const distinct = [...new Map(best.map((link) => [link.href, link])).values()]
  return distinct.length === 1 ? { kind: 'link', link: distinct[0]! } : { kind: 'choices', links: best }
}
