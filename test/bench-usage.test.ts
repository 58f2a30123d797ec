import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../src/paths.js'

t.test('npm run bench without a scenario lists them and runs none', async (t) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'run.ts')], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout, /usage: npm run bench -- <scenario> \.\.\. \| all/)
  for (const name of ['capture', 'xml-capture', 'lineage', 'query']) t.match(run.stdout, new RegExp(`^  ${name} `, 'm'))
  t.notMatch(run.stdout, /embedded PostgreSQL|generating/i, 'nothing started')
})
