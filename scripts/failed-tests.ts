/**
 * After a failed run, prints each failing assertion with its diagnostics, read from tap's saved results
 * (.tap/test-results). A CI log often keeps only its tail; this puts the failures there.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'

const RESULTS = '.tap/test-results'

async function resultFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name)
      return entry.isDirectory() ? resultFiles(path) : Promise.resolve(entry.name.endsWith('.tap') ? [path] : [])
    }),
  )
  return nested.flat()
}

/** The `not ok` lines of one TAP file, each followed by its YAML diagnostics block. */
export function failuresIn(tap: string): string[] {
  const lines = tap.split('\n')
  const failures: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*not ok /.test(lines[i]!)) continue
    const block = [lines[i]!]
    if (/^\s*---\s*$/.test(lines[i + 1] ?? '')) {
      for (let j = i + 1; j < lines.length && j < i + 40; j++) {
        block.push(lines[j]!)
        if (/^\s*\.\.\.\s*$/.test(lines[j]!)) break
      }
    }
    failures.push(block.join('\n'))
  }
  return failures
}

/** Prints the failures of the results written since `since` (ms since the epoch). */
export async function printFailures(since: number): Promise<void> {
  const files = await resultFiles(RESULTS)
  const printed: string[] = []
  for (const file of files.sort()) {
    if ((await stat(file)).mtimeMs < since) continue
    const failures = failuresIn(await readFile(file, 'utf8'))
    if (failures.length > 0) printed.push(`# ${relative(RESULTS, file)}\n${failures.join('\n')}`)
  }
  if (printed.length === 0) return
  console.log('\n# Failures of this run, from .tap/test-results:\n')
  console.log(printed.join('\n\n'))
}
