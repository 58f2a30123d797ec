import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import pg from 'pg'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'
import { isRunning, postmasterPid } from '../../src/db/postmaster.js'
import { eventually, sleep, startService } from './service-process.js'

// The embedded PostgreSQL and its data folder: a busy folder is refused in words, a server left behind by
// a dead start is reclaimed, and the server never outlives its service for long.

function withoutDatabase(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...rest } = env
  return rest
}

/** PIDs of the watchdogs looking after the cluster in `clusterDir`. */
async function watchdogsOf(clusterDir: string): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (command.includes('embedded-watchdog') && command.includes(clusterDir)) found.push(Number(entry))
  }
  return found
}

t.test('a busy data folder, a killed service, an orphaned server', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nguon-data-'))
  await chmod(dataDir, 0o755)
  const clusterDir = join(dataDir, 'pg')
  t.teardown(async () => {
    const pid = postmasterPid(clusterDir)
    if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGQUIT')
    for (const watchdog of await watchdogsOf(clusterDir)) process.kill(watchdog, 'SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
  })
  const env = { DATA_DIR: dataDir, CAPTURE_WORKER_CONCURRENCY: '0' }

  const first = await startService(t, env, { waitFor: '/health/ready', timeoutMs: 120_000 })
  const firstPostmaster = postmasterPid(clusterDir)!
  t.ok(firstPostmaster && isRunning(firstPostmaster), 'the first start runs its PostgreSQL server')
  t.match(first.output(), /Creating a new PostgreSQL cluster in \S+ \(first start/, 'it says it creates the cluster')
  t.match(first.output(), /Starting the embedded PostgreSQL server on port \d+/, 'it says it starts PostgreSQL')
  t.match(first.output(), /applying database migrations/, 'it says it applies the migrations')
  t.match(first.output(), /listening at http:\/\/127\.0\.0\.1:\d+; API documentation at http:\/\/127\.0\.0\.1:\d+\/docs/)

  // A second start on the same folder says which process holds it, and exits.
  const second = await startService(t, env, { waitFor: undefined })
  const secondExit = await second.exited
  t.equal(secondExit.code, 1, 'the second start exits 1')
  t.match(second.output(), dataDir, 'it names the folder')
  t.match(second.output(), new RegExp(`PID ${first.child.pid}\\b`), 'it names the PID holding the folder')
  t.match(second.output(), /DATA_DIR|DATABASE_URL/, 'it says what to do')
  t.notMatch(second.output(), /^undefined$/m)
  const migrate = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'db', 'migrate-cli.ts')], {
    cwd: projectRoot,
    env: { ...withoutDatabase(process.env), DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  })
  t.equal(migrate.status, 1, 'db:migrate on the busy folder exits 1')
  t.match(migrate.stderr, new RegExp(`${dataDir} is in use by another start of this service \\(PID ${first.child.pid}\\b`), 'and says who holds it')
  t.ok(isRunning(firstPostmaster), "the first start's server is untouched")

  // kill -9 of the service: its watchdog stops the server.
  first.child.kill('SIGKILL')
  await first.exited
  await eventually('the orphaned server to be stopped by the watchdog', async () => (isRunning(firstPostmaster) ? undefined : true), 30_000)
  t.pass('the server did not outlive its service')

  // The next start works.
  const third = await startService(t, env, { waitFor: '/health/ready', timeoutMs: 120_000 })
  const thirdPostmaster = postmasterPid(clusterDir)!
  t.ok(isRunning(thirdPostmaster), 'a start after kill -9 works')

  // A server left behind with no watchdog (killed too) is reclaimed by the next start.
  const watchdogs = await watchdogsOf(clusterDir)
  t.equal(watchdogs.length, 1, 'one watchdog looks after the server')
  for (const watchdog of watchdogs) process.kill(watchdog, 'SIGKILL')
  third.child.kill('SIGKILL')
  await third.exited
  t.ok(isRunning(thirdPostmaster), 'with its watchdog killed too, the server runs on as an orphan')
  const fourth = await startService(t, env, { waitFor: '/health/ready', timeoutMs: 120_000, detached: true })
  t.match(fourth.output(), new RegExp(`Stopping the embedded PostgreSQL server \\(PID ${thirdPostmaster}\\) that an earlier start \\(PID ${third.child.pid}\\) left running`))
  t.notOk(isRunning(thirdPostmaster), 'the orphan was stopped')
  const fourthPostmaster = postmasterPid(clusterDir)!
  t.ok(isRunning(fourthPostmaster), 'the new start runs its own server')

  // Ctrl-C in a terminal (SIGINT to the whole process group) while a request is in flight: the server
  // is not stopped under the request; the service answers it, then stops the server, last, and exits 0.
  const port = (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[3]
  const holder = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/nguon` })
  holder.on('error', () => undefined)
  await holder.connect()
  t.teardown(() => holder.end().catch(() => undefined))
  await holder.query('BEGIN')
  await holder.query('LOCK TABLE event IN ACCESS EXCLUSIVE MODE')
  const inFlight = fourth.request('/events?perPage=1')
  await eventually('the request waiting on the lock', async () => {
    // Inside a transaction pg_stat_activity answers from one snapshot unless it is cleared.
    await holder.query('SELECT pg_stat_clear_snapshot()')
    const { rows } = await holder.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'relation'`)
    return rows.length > 0 ? true : undefined
  })
  process.kill(-fourth.child.pid!, 'SIGINT')
  await sleep(1500)
  t.ok(isRunning(fourthPostmaster), 'the embedded server still runs while the service drains')
  await holder.query('COMMIT')
  t.equal((await inFlight).status, 200, 'the request in flight is answered')
  const exit = await fourth.exited
  t.equal(exit.code, 0, 'exit code 0')
  t.notOk(isRunning(fourthPostmaster), 'the embedded server is stopped')
  t.match(fourth.output(), /stopping the embedded PostgreSQL server[\s\S]*closed/, 'stopped last')
})
