/**
 * What PostgreSQL cannot store, found before a capture is accepted, as pure code: a string that is not
 * well-formed UTF-16 (a lone surrogate: jsonb refuses its escape) or holds NUL (neither text nor jsonb
 * takes it), and a value too long for the B-tree indexes it is looked up by (an index row holds at most
 * 2,704 bytes, and some indexes pair two such values).
 */

/** Longest identifier, URI or name (UTF-8 bytes) that is stored in an indexed column. */
export const MAX_INDEXED_BYTES = 1024

export interface UnstorableValue {
  pointer: string
  message: string
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** String.prototype.isWellFormed (Node 20+), which the configured TypeScript library does not declare yet. */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed()

function badText(text: string): string | undefined {
  if (!isWellFormed(text)) return 'holds a lone UTF-16 surrogate, which is not a Unicode character and cannot be stored'
  if (text.includes('\u0000')) return 'holds a NUL character (\\u0000), which no EPCIS value may hold'
  return undefined
}

/** `text` with each lone surrogate replaced by U+FFFD and each NUL by U+2400 (␀): for messages that quote input. */
export function storableText(text: string): string {
  const mended = (text as string & { toWellFormed(): string }).toWellFormed()
  return mended.includes('\u0000') ? mended.replace(/\u0000/g, '\u2400') : mended
}

/**
 * Whether every string (property name or value) under `value` can be stored: the common case, checked without
 * building a JSON pointer for each value (unstorableString walks again to name the first bad one).
 */
function allStorable(value: unknown): boolean {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node === 'string') {
      if (badText(node) !== undefined) return false
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) stack.push(node[i])
    } else if (node !== null && typeof node === 'object') {
      const object = node as Record<string, unknown>
      for (const key of Object.keys(object)) {
        if (badText(key) !== undefined) return false
        stack.push(object[key])
      }
    }
  }
  return true
}

/** The first string (property name or value) under `value` that cannot be stored as text, with its JSON pointer. */
export function unstorableString(value: unknown, pointer: string): UnstorableValue | undefined {
  if (allStorable(value)) return undefined
  const stack: Array<[unknown, string]> = [[value, pointer]]
  while (stack.length > 0) {
    const [node, at] = stack.pop()!
    if (typeof node === 'string') {
      const message = badText(node)
      if (message) return { pointer: at || '/', message: `the string ${message}` }
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${at}/${i}`])
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const message = badText(key)
        if (message) return { pointer: at || '/', message: `a property name ${message}` }
        stack.push([child, `${at}/${escapePointer(key)}`])
      }
    }
  }
  return undefined
}

/** A value longer than the indexes take, named by what it is; undefined when every one fits. */
export function overlongIndexedValue(values: Iterable<[what: string, value: string | null | undefined]>): string | undefined {
  for (const [what, value] of values) {
    if (value === null || value === undefined || value.length * 3 <= MAX_INDEXED_BYTES) continue
    const bytes = Buffer.byteLength(value, 'utf8')
    if (bytes > MAX_INDEXED_BYTES) {
      return `${what} is ${bytes} bytes long; identifiers, URIs and names may be at most ${MAX_INDEXED_BYTES} bytes ('${value.slice(0, 60)}…')`
    }
  }
  return undefined
}
