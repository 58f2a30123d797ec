/**
 * `npm start` and `npm run db:migrate` build dist/ first, but only when it is out of date: a fingerprint
 * of the sources (every file under src/ and the tsconfig files, by content) is kept in
 * dist/.build-fingerprint after each build. A fresh clone has no dist/, so its first start builds.
 * `--root <dir>` builds another project (the tests use a small one).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const rootFlag = process.argv.indexOf('--root')
const root = rootFlag >= 0 ? process.argv[rootFlag + 1]! : process.cwd()
const outDir = join(root, 'dist')
const stamp = join(outDir, '.build-fingerprint')

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else yield path
  }
}

function fingerprint(): string {
  const hash = createHash('sha256')
  const sources = [...files(join(root, 'src')), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json')]
  for (const path of sources.filter(existsSync).sort()) {
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0')
  }
  return hash.digest('hex')
}

const current = fingerprint()
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === current) {
  console.log('dist/ is up to date with src/: no build needed')
} else {
  console.log('Building dist/ from src/ (tsc; this takes a while)')
  // A clean build: no file of a removed source stays behind.
  rmSync(outDir, { recursive: true, force: true })
  const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'))
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
  writeFileSync(stamp, `${current}\n`)
}
