import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findProjectRoot(start: string): string {
  let dir = start
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`package.json not found above ${start}`)
    dir = parent
  }
  return dir
}

/** The project root, found the same way from src/ (tsx) and from dist/ (compiled). */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)))
export const schemasDir = join(projectRoot, 'schemas')
export const migrationsDir = join(projectRoot, 'migrations')
