import type { DigitalLinkParameter } from '../identifiers/index.js'

export interface Weighted {
  readonly value: string
  readonly q: number
}

/** What a request says about the link it would like best, beyond its link type. */
export interface Preferences {
  /** Language ranges, lower-cased, best first (the lang parameter, else Accept-Language). */
  readonly languages: readonly Weighted[]
  /** context parameter values, lower-cased. */
  readonly contexts: readonly string[]
  /** Media ranges, lower-cased (the mediaType parameter, else Accept); empty when anything is acceptable. */
  readonly mediaTypes: readonly Weighted[]
}

/** Parses an HTTP list of values with optional q parameters (Accept, Accept-Language), best first. */
export function parseWeightedList(header: string | undefined): Weighted[] {
  if (!header) return []
  const items: Weighted[] = []
  for (const part of header.split(',')) {
    const [rawValue, ...params] = part.split(';')
    const value = rawValue?.trim().toLowerCase()
    if (!value) continue
    let q = 1
    for (const param of params) {
      const [name, rawQ] = param.split('=')
      if (name?.trim().toLowerCase() === 'q') {
        const parsed = Number(rawQ?.trim())
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 1
      }
    }
    items.push({ value, q })
  }
  return items.sort((a, b) => b.q - a.q)
}

function parameterValues(parameters: readonly DigitalLinkParameter[], key: string): string[] {
  return parameters
    .filter((p) => p.key === key)
    .flatMap((p) => p.value.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '')
}

/**
 * The request's preferences. The lang, context and mediaType query parameters (used by GS1's resolver
 * test suite) take precedence over Accept-Language and Accept. An Accept of only *\/* says nothing.
 */
export function preferencesOf(
  parameters: readonly DigitalLinkParameter[],
  headers: { acceptLanguage?: string; accept?: string },
): Preferences {
  const langParam = parameterValues(parameters, 'lang')
  const mediaParam = parameterValues(parameters, 'mediaType')
  const languages = langParam.length ? langParam.map((value) => ({ value, q: 1 })) : parseWeightedList(headers.acceptLanguage)
  const accepted = mediaParam.length ? mediaParam.map((value) => ({ value, q: 1 })) : parseWeightedList(headers.accept)
  const mediaTypes = accepted.every((m) => m.value === '*/*') ? [] : accepted
  return { languages, contexts: parameterValues(parameters, 'context'), mediaTypes }
}
