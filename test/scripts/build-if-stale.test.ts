import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'

// `npm start` builds dist/ only when src/ changed since the last build; a fresh clone still builds.

function buildIfStale(root: string): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts', 'build-if-stale.ts'), '--root', root], {
    cwd: projectRoot,
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`build-if-stale failed: ${result.stdout}${result.stderr}`)
  return result.stdout
}

t.test('npm start and db:migrate build through build-if-stale', async (t) => {
  const scripts = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')).scripts as Record<string, string>
  t.match(scripts.start, /^tsx scripts\/build-if-stale\.ts && node dist\/server\.js$/)
  t.match(scripts['db:migrate'], /^tsx scripts\/build-if-stale\.ts && /)
})

t.test('builds a fresh project, skips an up-to-date one, rebuilds after a change', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'nguon-build-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  await mkdir(join(root, 'src'))
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true } }))
  await writeFile(
    join(root, 'tsconfig.build.json'),
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist' }, include: ['src'] }),
  )
  await writeFile(join(root, 'src', 'server.ts'), 'export const answer: number = 1\n')

  t.match(buildIfStale(root), /Building dist/, 'a fresh clone builds')
  t.match(await readFile(join(root, 'dist', 'server.js'), 'utf8'), /answer = 1/)
  const built = (await stat(join(root, 'dist', 'server.js'))).mtimeMs

  t.match(buildIfStale(root), /up to date/, 'an unchanged project is not built again')
  t.equal((await stat(join(root, 'dist', 'server.js'))).mtimeMs, built, 'dist/ untouched')

  await writeFile(join(root, 'src', 'server.ts'), 'export const answer: number = 2\n')
  t.match(buildIfStale(root), /Building dist/, 'a changed source is built')
  t.match(await readFile(join(root, 'dist', 'server.js'), 'utf8'), /answer = 2/)

  await writeFile(join(root, 'src', 'extra.ts'), 'export const extra = 3\n')
  t.match(buildIfStale(root), /Building dist/, 'a new source file is built')
  await rm(join(root, 'src', 'extra.ts'))
  t.match(buildIfStale(root), /Building dist/, 'a removed source file triggers a clean build')
  await t.rejects(stat(join(root, 'dist', 'extra.js')), 'and its output is gone')
})
