/**
 * The shell examples of README.md (fenced ```sh tested blocks), split into commands, each with the
 * output it shows: full-line comments right after a command, where "…" stands for anything.
 */
export interface Example {
  command: string
  expected: string[]
}

const TESTED_BLOCK = /^```sh tested\n([\s\S]*?)^```$/gm

/** Whether the text so far ends a shell command: no open quote, no trailing backslash. */
function isComplete(text: string): boolean {
  let quote: '"' | "'" | undefined
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quote === "'") {
      if (char === "'") quote = undefined
    } else if (quote === '"') {
      if (char === '\\') i++
      else if (char === '"') quote = undefined
    } else if (char === '\\') {
      if (i === text.length - 1) return false
      i++
    } else if (char === "'" || char === '"') {
      quote = char
    } else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i)
      if (end < 0) break
      i = end
    }
  }
  return quote === undefined
}

export function examplesOf(markdown: string): Example[] {
  const examples: Example[] = []
  for (const [, block] of markdown.matchAll(TESTED_BLOCK)) {
    let pending: string[] = []
    for (const line of block!.split('\n')) {
      if (pending.length === 0) {
        if (line.trim() === '') continue
        if (line.startsWith('#')) {
          const last = examples[examples.length - 1]
          if (!last) throw new Error(`an expectation before any command: ${line}`)
          last.expected.push(line.replace(/^#\s?/, ''))
          continue
        }
      }
      pending.push(line)
      const text = pending.join('\n')
      if (isComplete(text)) {
        examples.push({ command: text, expected: [] })
        pending = []
      }
    }
    if (pending.length) throw new Error(`an unfinished command: ${pending.join('\n')}`)
  }
  return examples
}

/** "HTTP/1.1 201 Created" → 201, when an expectation shows the status line. */
export function expectedStatus(example: Example): number | undefined {
  for (const line of example.expected) {
    const status = /^HTTP\/[\d.]+ (\d{3})/.exec(line)?.[1]
    if (status) return Number(status)
  }
  return undefined
}

/** The expectation as a pattern: "…" matches anything, the rest literally, case-insensitively (header names). */
export function expectationPattern(line: string): RegExp {
  const literal = line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(literal.join('.*'), 'i')
}

/** A call that only reads, so that running it again is harmless (a capture job still running, say). */
export function isRepeatable(command: string): boolean {
  return /^curl\s/.test(command) && !/\s(-X|--request|-d|--data|--data-binary)\s/.test(command) && !/>/.test(command)
}
